#include "base/csv_table.h"

#include <stdexcept>

#include "base/json_node.h"

namespace qtsim {
namespace {

std::string quote_if_needed(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string format_double(double value) { return Json(value).dump(); }

CsvTable::CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {}

CsvTable& CsvTable::row() {
  rows_.emplace_back();
  return *this;
}

CsvTable& CsvTable::add(const std::string& text) {
  if (rows_.empty()) throw std::logic_error("CsvTable::add: no row started (call row() first)");
  rows_.back().push_back(quote_if_needed(text));
  return *this;
}

CsvTable& CsvTable::add(std::int64_t value) { return add(std::to_string(value)); }
CsvTable& CsvTable::add(std::uint64_t value) { return add(std::to_string(value)); }
CsvTable& CsvTable::add(double value) { return add(format_double(value)); }

std::string CsvTable::str() const {
  std::string out = join(columns_, ",") + "\n";
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].size() != columns_.size()) {
      throw std::logic_error("CsvTable: row " + std::to_string(i) + " has " + std::to_string(rows_[i].size()) +
                             " cells for " + std::to_string(columns_.size()) + " columns");
    }
    out += join(rows_[i], ",") + "\n";
  }
  return out;
}

}  // namespace qtsim
