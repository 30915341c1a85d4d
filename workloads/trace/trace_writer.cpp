#include "workloads/trace/trace_writer.h"

#include <filesystem>

#include "base/error.h"
#include "base/json_file.h"
#include "workloads/trace/trace_reader.h"

namespace qtsim {
namespace {

bool is_container(const Json& value) { return value.is_object() || value.is_array(); }

void append_text(const Json& value, int indent, std::string& out) {
  const std::string inner(static_cast<std::size_t>(indent) + 2, ' ');
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) out += ",\n";
      out += inner + Json(it.key()).dump() + ": ";
      append_text(it.value(), indent + 2, out);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
    return;
  }
  if (value.is_array() && !value.empty()) {
    bool nested = false;
    for (const Json& item : value) nested = nested || is_container(item);
    out += nested ? "[\n" : "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i) out += nested ? ",\n" : ", ";
      if (nested) {
        out += inner;
        append_text(value[i], indent + 2, out);
      } else {
        out += value[i].dump();
      }
    }
    out += nested ? "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]" : "]";
    return;
  }
  out += value.dump();  // scalars, {} and []
}

}  // namespace

Json trace_to_json(const Trace& trace) {
  Json doc = Json::object();
  doc["format"] = kTraceFormatName;
  doc["version"] = Trace::kFormatVersion;
  doc["network"] = trace.network;
  doc["dataset"] = trace.dataset;
  doc["class_names"] = trace.class_names;
  doc["batch_size"] = trace.batch_size;
  doc["iterations_per_epoch"] = trace.iterations_per_epoch;
  doc["train_samples_per_epoch"] = trace.train_samples_per_epoch;
  Json epochs = Json::array();
  const std::size_t classes = trace.class_names.size();
  for (int e = 0; e < trace.num_epochs(); ++e) {
    const TraceEpoch& epoch = trace.epochs[static_cast<std::size_t>(e)];
    Json out = Json::object();
    out["epoch"] = e;
    out["train_accuracy"] = epoch.train_accuracy;
    if (!epoch.train_loss.empty()) out["train_loss"] = epoch.train_loss;
    if (epoch.test_accuracy >= 0.0) out["test_accuracy"] = epoch.test_accuracy;
    if (!epoch.test_accuracy_per_class.empty()) out["test_accuracy_per_class"] = epoch.test_accuracy_per_class;
    if (!epoch.tags.empty()) out["tags"] = epoch.tags;
    Json rows = Json::array();
    const std::size_t num_rows = classes ? epoch.class_counts.size() / classes : 0;
    for (std::size_t i = 0; i < num_rows; ++i) {
      Json row = Json::array();
      for (std::size_t c = 0; c < classes; ++c) row.push_back(epoch.class_counts[i * classes + c]);
      rows.push_back(std::move(row));
    }
    out["class_counts"] = std::move(rows);
    epochs.push_back(std::move(out));
  }
  doc["epochs"] = std::move(epochs);
  doc["policy"] = trace.policy;
  doc["provenance"] = trace.provenance;
  return doc;
}

std::string encode_trace_document(const Json& document, const std::string& extension) {
  if (extension == ".json") {
    std::string text;
    append_text(document, 0, text);
    return text + "\n";
  }
  std::vector<std::uint8_t> bytes;
  if (extension == ".cbor") {
    bytes = Json::to_cbor(document);
  } else if (extension == ".msgpack") {
    bytes = Json::to_msgpack(document);
  } else {
    throw Error("unknown trace file extension " + (extension.empty() ? std::string("(none)") : "`" + extension + "`") +
                "; valid extensions: " + join(trace_file_extensions()));
  }
  return std::string(bytes.begin(), bytes.end());
}

void write_trace(const Trace& trace, const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  Json document = trace_to_json(trace);
  std::string bytes;
  try {
    bytes = encode_trace_document(document, extension);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  parse_trace(document, path + " (trace being written)");
  write_text_file_atomic(path, bytes);
}

}  // namespace qtsim
