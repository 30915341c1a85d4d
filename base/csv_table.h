#pragma once
// CsvTable: the one CSV writer. Columns are snake_case with a unit suffix
// (`operand_bits`, `test_accuracy_fraction`, ...); numbers are formatted the
// same way on every run, so identical inputs give identical bytes.
#include <cstdint>
#include <string>
#include <vector>

namespace qtsim {

class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> columns);

  CsvTable& row();  // starts a new row; cells follow with add()
  CsvTable& add(const std::string& text);
  CsvTable& add(const char* text) { return add(std::string(text)); }
  CsvTable& add(std::int64_t value);
  CsvTable& add(std::uint64_t value);
  CsvTable& add(int value) { return add(static_cast<std::int64_t>(value)); }
  CsvTable& add(double value);  // shortest text that reads back to the same double

  // The table as text. A cell added before any row(), or a row whose cell count
  // differs from the columns, is a programming error: std::logic_error.
  std::string str() const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Shortest decimal text that round-trips to `value` ("0.5", "1.3333333333333333").
std::string format_double(double value);

}  // namespace qtsim
