#include "workloads/trace/trace_reader.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>

#include "base/error.h"
#include "base/json_file.h"

namespace qtsim {
namespace {

constexpr std::int64_t kMaxBatchSize = std::numeric_limits<std::uint16_t>::max();  // counts are 16-bit
constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();

std::string read_nonempty_string(const JsonNode& node) {
  std::string value = node.as_string();
  if (value.empty()) node.fail_value("empty", "a non-empty string");
  return value;
}

// An array with one entry per class.
void require_per_class(const JsonNode& node, int num_classes, const std::string& what) {
  if (node.size() != static_cast<std::size_t>(num_classes)) {
    node.fail_value("wrong length", std::to_string(num_classes) + " " + what + ", one per class");
  }
}

// A number in [min, max] (max may be infinity, meaning "no upper bound":
// non-finite values are always rejected). CBOR and MessagePack can hold
// infinities and NaN, which JSON text cannot, so they are named here rather
// than dumped (nlohmann would print them as null).
double read_number(const JsonNode& node, double min, double max, const std::string& expected) {
  if (!node.value().is_number()) node.fail_value("wrong type", expected);
  const double value = node.value().get<double>();
  if (std::isfinite(value) && value >= min && value <= max) return value;
  const std::string found = std::isnan(value)   ? "NaN"
                            : std::isinf(value) ? (value > 0 ? "inf" : "-inf")
                                                : JsonNode::describe(node.value());
  node.fail("out of range, got " + found + "; expected " + expected);
}

std::vector<double> read_numbers(const JsonNode& node, int num_classes, const std::string& what, double min, double max,
                                 const std::string& expected) {
  require_per_class(node, num_classes, what);
  std::vector<double> values(static_cast<std::size_t>(num_classes));
  for (int c = 0; c < num_classes; ++c)
    values[c] = read_number(node.at(static_cast<std::size_t>(c)), min, max, expected);
  return values;
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();
const char* const kUnitRange = "a number in [0, 1]";

std::vector<double> read_accuracies(const JsonNode& node, int num_classes) {
  return read_numbers(node, num_classes, "accuracies", 0.0, 1.0, kUnitRange);
}

std::vector<double> read_losses(const JsonNode& node, int num_classes) {
  return read_numbers(node, num_classes, "losses", 0.0, kInfinity, "a finite number >= 0");
}

std::vector<int> read_tags(const JsonNode& node, int num_classes) {
  require_per_class(node, num_classes, "tags");
  std::vector<int> values(static_cast<std::size_t>(num_classes));
  for (int c = 0; c < num_classes; ++c) {
    values[c] = static_cast<int>(node.at(static_cast<std::size_t>(c)).as_int(0, kMaxInt));
  }
  return values;
}

// The hot loop of the reader (78,200 rows x 10 classes for the CIFAR-10
// reference): plain unsigned counts are read straight from the document; any
// other value (wrong type, negative, integral float) and every error goes
// through JsonNode, so messages keep one form.
void read_class_counts(const JsonNode& node, const Trace& trace, TraceEpoch& epoch) {
  node.require_array();
  const Json& rows = node.value();
  const int iterations = trace.iterations_per_epoch;
  const std::size_t classes = trace.class_names.size();
  if (rows.size() != static_cast<std::size_t>(iterations)) {
    node.fail_value("wrong number of rows",
                    std::to_string(iterations) + " rows, one per iteration (iterations_per_epoch)");
  }
  epoch.class_counts.assign(static_cast<std::size_t>(iterations) * classes, 0);
  std::uint16_t* out = epoch.class_counts.data();
  for (int i = 0; i < iterations; ++i) {
    const Json& row = rows[static_cast<std::size_t>(i)];
    if (!row.is_array() || row.size() != classes) {
      JsonNode row_node = node.at(static_cast<std::size_t>(i));
      row_node.require_array();
      row_node.fail_value("wrong length", std::to_string(classes) + " counts, one per class");
    }
    const std::uint64_t samples = static_cast<std::uint64_t>(trace.iteration_samples(i));
    std::uint64_t sum = 0;
    for (std::size_t c = 0; c < classes; ++c) {
      const Json& value = row[c];
      std::uint64_t count = 0;
      if (value.is_number_unsigned() && (count = value.get<std::uint64_t>()) <= samples) {
        // fast path
      } else {
        count = static_cast<std::uint64_t>(
            node.at(static_cast<std::size_t>(i)).at(c).as_int(0, static_cast<std::int64_t>(samples)));
      }
      sum += count;
      *out++ = static_cast<std::uint16_t>(count);
    }
    if (sum != samples) {
      const bool last = i + 1 == iterations;
      node.at(static_cast<std::size_t>(i))
          .fail("wrong sum of class counts, got " + std::to_string(sum) + "; expected " + std::to_string(samples) +
                (last ? ", the samples of the last iteration (train_samples_per_epoch - (iterations_per_epoch - 1) "
                        "* batch_size)"
                      : ", the samples of every iteration but the last (batch_size)"));
    }
  }
}

TraceEpoch read_epoch(const JsonNode& node, std::size_t index, const Trace& trace) {
  node.require_object();
  TraceEpoch epoch;
  JsonNode number = node.at("epoch");
  if (number.as_int(0, kMaxInt) != static_cast<std::int64_t>(index)) {
    number.fail_value("wrong epoch index",
                      std::to_string(index) + " (epochs are listed in order, each once, starting at 0)");
  }
  const int classes = trace.num_classes();
  epoch.train_accuracy = read_accuracies(node.at("train_accuracy"), classes);
  if (auto loss = node.find("train_loss")) epoch.train_loss = read_losses(*loss, classes);
  if (auto test = node.find("test_accuracy")) epoch.test_accuracy = read_number(*test, 0.0, 1.0, kUnitRange);
  if (auto test = node.find("test_accuracy_per_class")) epoch.test_accuracy_per_class = read_accuracies(*test, classes);
  if (auto tags = node.find("tags")) epoch.tags = read_tags(*tags, classes);
  read_class_counts(node.at("class_counts"), trace, epoch);
  node.reject_unknown_keys();
  return epoch;
}

void read_shape(const JsonNode& root, Trace& trace) {
  JsonNode names = root.at("class_names");
  if (names.size() == 0) names.fail_value("empty", "at least one class name");
  std::map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < names.size(); ++c) {
    JsonNode name = names.at(c);
    std::string value = read_nonempty_string(name);
    auto [it, inserted] = seen.emplace(value, c);
    if (!inserted) {
      name.fail_value("duplicate class name", "a name not used before (class_names[" + std::to_string(it->second) +
                                                  "] is already " + Json(value).dump() + ")");
    }
    trace.class_names.push_back(std::move(value));
  }
  trace.batch_size = static_cast<int>(root.at("batch_size").as_int(1, kMaxBatchSize));
  trace.iterations_per_epoch = static_cast<int>(root.at("iterations_per_epoch").as_int(1, kMaxInt));
  JsonNode samples = root.at("train_samples_per_epoch");
  trace.train_samples_per_epoch = samples.as_int(1, std::numeric_limits<std::int64_t>::max());
  // The "last batch" rule: iterations_per_epoch - 1 full batches, then a last
  // batch holding the remainder, 1 to batch_size samples.
  const std::int64_t full = static_cast<std::int64_t>(trace.iterations_per_epoch - 1) * trace.batch_size;
  const std::int64_t last = trace.train_samples_per_epoch - full;
  if (last < 1 || last > trace.batch_size) {
    samples.fail_value("inconsistent with batch_size " + std::to_string(trace.batch_size) +
                           " and iterations_per_epoch " + std::to_string(trace.iterations_per_epoch),
                       "an integer in [" + std::to_string(full + 1) + ", " + std::to_string(full + trace.batch_size) +
                           "] (iterations_per_epoch - 1 full batches, then a last batch of 1 to batch_size samples)");
  }
}

}  // namespace

const std::vector<std::string>& trace_file_extensions() {
  static const std::vector<std::string> kExtensions = {".json", ".cbor", ".msgpack"};
  return kExtensions;
}

Trace parse_trace(const Json& document, const std::string& source) {
  JsonNode root(document, source);
  root.require_object();
  JsonNode format = root.at("format");
  if (!format.value().is_string() || format.value().get<std::string>() != kTraceFormatName) {
    format.fail_value("not a qtsim trace", std::string("\"") + kTraceFormatName + "\"");
  }
  JsonNode version = root.at("version");
  if (version.as_int(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()) !=
      Trace::kFormatVersion) {
    version.fail_value("unsupported trace format version",
                       std::to_string(Trace::kFormatVersion) + " (the only version this build reads)");
  }

  Trace trace;
  trace.network = read_nonempty_string(root.at("network"));
  trace.dataset = read_nonempty_string(root.at("dataset"));
  read_shape(root, trace);

  JsonNode epochs = root.at("epochs");
  if (epochs.size() == 0) epochs.fail_value("empty", "at least one epoch");
  trace.epochs.reserve(epochs.size());
  for (std::size_t e = 0; e < epochs.size(); ++e) trace.epochs.push_back(read_epoch(epochs.at(e), e, trace));

  if (auto policy = root.find("policy")) {
    if (!policy->value().is_object()) policy->fail_value("wrong type", "an object, or null when training used none");
    trace.policy = policy->value();
  }
  JsonNode provenance = root.at("provenance");
  provenance.require_object();
  provenance.at("kind").as_choice({"synthetic", "recorded"});  // the other fields are free-form
  trace.provenance = provenance.value();

  root.reject_unknown_keys();
  return trace;
}

Trace read_trace(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  bool known = false;
  for (const std::string& valid : trace_file_extensions()) known = known || extension == valid;
  if (!known) {
    throw Error(path + ": unknown trace file extension " + (extension.empty() ? "(none)" : "`" + extension + "`") +
                "; valid extensions: " + join(trace_file_extensions()));
  }
  return parse_trace(read_json_file(path), path);
}

}  // namespace qtsim
