// The one CSV writer (base/csv_table.h): quoting, number formats, and the
// programming errors it refuses.
#include <gtest/gtest.h>

#include <stdexcept>

#include "base/csv_table.h"

namespace qtsim {
namespace {

TEST(CsvTable, QuotesOnlyCellsThatNeedIt) {
  CsvTable t({"name", "value_bits", "ratio"});
  t.row().add("plain").add(8).add(0.5);
  t.row().add("a,b").add(std::int64_t{-3}).add(1.0 / 3.0);
  t.row().add("say \"hi\"").add(std::uint64_t{18446744073709551615u}).add(2.0);
  // Quoting by RFC 4180: a comma or quote wraps the cell in quotes, quotes doubled;
  // doubles are the shortest text that reads back to the same value.
  EXPECT_EQ(t.str(),
            "name,value_bits,ratio\n"
            "plain,8,0.5\n"
            "\"a,b\",-3,0.3333333333333333\n"
            "\"say \"\"hi\"\"\",18446744073709551615,2.0\n");
}

TEST(CsvTable, ARowWithTheWrongCellCountIsAProgrammingError) {
  CsvTable t({"a", "b"});
  t.row().add(1);
  try {
    (void)t.str();
    FAIL() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "CsvTable: row 0 has 1 cells for 2 columns");
  }
  CsvTable empty({"a"});
  EXPECT_THROW(empty.add("x"), std::logic_error);
}

}  // namespace
}  // namespace qtsim
