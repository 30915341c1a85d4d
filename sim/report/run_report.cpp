#include "sim/report/run_report.h"

#include <cstdio>
#include <map>

#include "base/csv_table.h"
#include "qtsim_version.h"
#include "sim/report/replay_report.h"

namespace qtsim {
namespace {

Json totals_json(const CompressionTotals& t) { return Json{{"operand_bits", t.bits}, {"bitops", t.bitops}}; }

// Samples per precision over the reported epochs, in first-seen order.
std::vector<std::pair<Precision, std::int64_t>> precision_mix(const CompressionReport& report) {
  std::vector<std::pair<Precision, std::int64_t>> mix;
  for (const EpochCompression& e : report.epochs) {
    for (const GroupUsage& g : e.groups) {
      auto it = std::find_if(mix.begin(), mix.end(), [&](const auto& m) { return m.first == g.precision; });
      if (it == mix.end()) {
        mix.emplace_back(g.precision, g.samples);
      } else {
        it->second += g.samples;
      }
    }
  }
  return mix;
}

std::int64_t total_samples(const CompressionReport& report) {
  std::int64_t samples = 0;
  for (const EpochCompression& e : report.epochs) {
    for (std::int64_t s : e.tier_samples) samples += s;
  }
  return samples;
}

std::string ratio_text(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4fx", ratio);
  return text;
}

}  // namespace

Json summary_json(const RunInputs& in, const CompressionReport& report, const std::string& config_hash) {
  const std::int64_t samples = total_samples(report);
  Json mix = Json::array();
  for (const auto& [precision, count] : precision_mix(report)) {
    mix.push_back({{"precision", precision.label()},
                   {"samples", count},
                   {"sample_fraction", samples ? static_cast<double>(count) / static_cast<double>(samples) : 0.0}});
  }
  std::int64_t sub_batches = 0;
  for (const EpochCompression& e : report.epochs) {
    for (const GroupUsage& g : e.groups) sub_batches += g.sub_batches;
  }
  const Trace& t = in.trace;
  return Json{{"qtsim_version", kVersion},
              {"network",
               {{"name", in.network.name},
                {"parameters", in.network.parameters()},
                {"forward_macs_per_sample", in.network.forward_macs_per_sample()},
                {"gemms_per_precision_group", in.step.gemms.size()}}},
              {"trace",
               {{"ref", in.config.workload.trace},
                {"hash", in.trace_hash},
                {"dataset", t.dataset},
                {"network", t.network},
                {"kind", t.provenance.value("kind", "")},
                {"epochs_in_trace", t.num_epochs()}}},
              {"epochs", {{"first", in.epochs.first}, {"count", in.epochs.count}}},
              {"iterations", static_cast<std::int64_t>(in.epochs.count) * t.iterations_per_epoch},
              {"samples", samples},
              {"precision_sub_batches", sub_batches},
              {"policy", in.config.policy},
              {"baseline_precision", report.baseline_precision.label()},
              {"precision_mix", mix},
              {"compression",
               {{"bits_ratio", compression_ratio(report.baseline.bits, report.policy.bits)},
                {"bitops_ratio", compression_ratio(report.baseline.bitops, report.policy.bitops)},
                {"policy_bits_ratio_vs_fp32", compression_ratio(report.fp32.bits, report.policy.bits)},
                {"baseline_bits_ratio_vs_fp32", compression_ratio(report.fp32.bits, report.baseline.bits)},
                {"policy_bitops_ratio_vs_fp32", compression_ratio(report.fp32.bitops, report.policy.bitops)},
                {"baseline_bitops_ratio_vs_fp32", compression_ratio(report.fp32.bitops, report.baseline.bitops)},
                {"policy", totals_json(report.policy)},
                {"baseline", totals_json(report.baseline)},
                {"fp32", totals_json(report.fp32)}}},
              {"provenance",
               {{"qtsim_version", kVersion},
                {"config_hash", config_hash},
                {"trace_hash", in.trace_hash},
                {"trace_provenance", t.provenance}}}};
}

std::string per_epoch_csv(const RunInputs& in, const CompressionReport& report, const ReplayReport& replay) {
  std::size_t max_tiers = 0;
  for (const EpochCompression& e : report.epochs) max_tiers = std::max(max_tiers, e.tier_samples.size());
  std::vector<std::string> columns = {"epoch", "iterations", "samples", "precision_sub_batches", "tier_precisions"};
  for (std::size_t i = 0; i < max_tiers; ++i) columns.push_back("tier" + std::to_string(i) + "_samples");
  for (const char* c : {"policy_operand_bits", "baseline_operand_bits", "fp32_operand_bits", "bits_ratio",
                        "policy_bits_ratio_vs_fp32", "policy_bitops", "baseline_bitops", "fp32_bitops", "bitops_ratio",
                        "mean_train_accuracy_fraction", "test_accuracy_fraction"}) {
    columns.push_back(c);
  }
  add_replay_epoch_columns(columns);
  CsvTable table(columns);
  for (std::size_t i = 0; i < report.epochs.size(); ++i) {
    const EpochCompression& e = report.epochs[i];
    const EpochPlan& plan = in.plans[e.epoch];
    const TraceEpoch& te = in.trace.epochs[e.epoch];
    std::int64_t samples = 0, sub_batches = 0;
    for (std::int64_t s : e.tier_samples) samples += s;
    for (const GroupUsage& g : e.groups) sub_batches += g.sub_batches;
    std::vector<std::string> labels;
    for (const Tier& tier : plan.tiers) labels.push_back(tier.precision.label());
    table.row().add(e.epoch).add(in.trace.iterations_per_epoch).add(samples).add(sub_batches).add(join(labels, ";"));
    for (std::size_t i = 0; i < max_tiers; ++i) table.add(i < e.tier_samples.size() ? e.tier_samples[i] : 0);
    double accuracy_sum = 0;
    for (double a : te.train_accuracy) accuracy_sum += a;
    table.add(e.policy.bits)
        .add(e.baseline.bits)
        .add(e.fp32.bits)
        .add(compression_ratio(e.baseline.bits, e.policy.bits))
        .add(compression_ratio(e.fp32.bits, e.policy.bits))
        .add(e.policy.bitops)
        .add(e.baseline.bitops)
        .add(e.fp32.bitops)
        .add(compression_ratio(e.baseline.bitops, e.policy.bitops))
        .add(accuracy_sum / static_cast<double>(te.train_accuracy.size()));
    if (te.test_accuracy >= 0) {
      table.add(te.test_accuracy);
    } else {
      table.add("");
    }
    add_replay_epoch_cells(table, replay, i);
  }
  return table.str();
}

std::string per_class_epoch_csv(const RunInputs& in, const CompressionReport& report) {
  CsvTable table({"epoch", "class_index", "class_name", "train_accuracy_fraction", "tier", "tier_name", "act_bits",
                  "weight_bits", "grad_bits", "samples", "policy_operand_bits", "baseline_operand_bits",
                  "policy_bitops", "baseline_bitops", "trainer_tier"});
  for (std::size_t i = 0; i < report.epochs.size(); ++i) {
    const int epoch = report.epochs[i].epoch;
    const EpochPlan& plan = in.plans[epoch];
    const TraceEpoch& te = in.trace.epochs[epoch];
    for (int c = 0; c < report.num_classes; ++c) {
      const ClassEpochCompression& ce = report.class_epoch(i, c);
      const Tier& tier = plan.tiers[ce.tier];
      table.row()
          .add(epoch)
          .add(c)
          .add(in.trace.class_names[c])
          .add(te.train_accuracy[c])
          .add(ce.tier)
          .add(tier.name)
          .add(tier.precision.act_bits)
          .add(tier.precision.weight_bits)
          .add(tier.precision.grad_bits)
          .add(ce.samples)
          .add(ce.policy.bits)
          .add(ce.baseline.bits)
          .add(ce.policy.bitops)
          .add(ce.baseline.bitops);
      if (te.tags.empty()) {
        table.add("");
      } else {
        table.add(te.tags[c]);
      }
    }
  }
  return table.str();
}

void print_headline(const RunInputs& in, const CompressionReport& report, const std::string& output_dir,
                    std::ostream& out) {
  const Trace& t = in.trace;
  char line[256];
  out << "qtsim " << kVersion << ": " << in.network.name << " on " << t.dataset << " ("
      << t.provenance.value("kind", "unknown") << " trace), epochs " << in.epochs.first << "-"
      << in.epochs.first + in.epochs.count - 1 << ", " << total_samples(report) << " samples\n";
  out << "policy " << in.policy->impl() << " against the uniform " << report.baseline_precision.label()
      << " baseline\n";
  std::snprintf(line, sizeof line, "  %-22s %22s %22s %22s\n", "", "policy", "baseline", "fp32");
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22lld %22lld %22lld\n", "operand_bits",
                static_cast<long long>(report.policy.bits), static_cast<long long>(report.baseline.bits),
                static_cast<long long>(report.fp32.bits));
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22lld %22lld %22lld\n", "bitops",
                static_cast<long long>(report.policy.bitops), static_cast<long long>(report.baseline.bitops),
                static_cast<long long>(report.fp32.bitops));
  out << line;
  out << "  compression (bits)     " << ratio_text(compression_ratio(report.baseline.bits, report.policy.bits))
      << " against the baseline, " << ratio_text(compression_ratio(report.fp32.bits, report.policy.bits))
      << " against fp32\n";
  out << "  compression (BitOPs)   " << ratio_text(compression_ratio(report.baseline.bitops, report.policy.bitops))
      << " against the baseline, " << ratio_text(compression_ratio(report.fp32.bitops, report.policy.bitops))
      << " against fp32\n";
  const std::int64_t samples = total_samples(report);
  out << "  precision mix         ";
  for (const auto& [precision, count] : precision_mix(report)) {
    std::snprintf(line, sizeof line, " %s %.1f%%", precision.label().c_str(),
                  samples ? 100.0 * static_cast<double>(count) / static_cast<double>(samples) : 0.0);
    out << line;
  }
  out << "\n  output                 " << output_dir << "/\n";
}

}  // namespace qtsim
