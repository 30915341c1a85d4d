// Strict decoding of JSON text, CBOR and MessagePack (base/strict_json.h).
// Byte sequences are written out by hand from RFC 8949 (CBOR) and the
// MessagePack specification; round trips use nlohmann's encoders as the
// second implementation.
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/strict_json.h"
#include "tests/unit/test_util.h"
#include "workloads/trace/synthetic_cifar10.h"
#include "workloads/trace/trace_writer.h"

namespace qtsim {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

std::string error_of_decode(const std::function<Json()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(StrictJson, TextRejectsDuplicateKeysNamingThem) {
  EXPECT_EQ(error_of_decode([] { return decode_json_text(R"({"a": {"b": 1, "b": 2}})", "f.json"); }),
            "f.json: a.b: duplicate key `b`; expected each key once per object");
}

TEST(StrictJson, TextRejectsNumbersOutsideDoubleAndIntegersBeyond64Bits) {
  EXPECT_EQ(error_of_decode([] { return decode_json_text(R"({"x": [1, 1e309]})", "f.json"); }),
            "f.json: x[1]: number overflow parsing '1e309'; expected a number within double range");
  EXPECT_EQ(error_of_decode([] { return decode_json_text("{\"n\": 18446744073709551616}", "f.json"); }),
            "f.json: n: integer 18446744073709551616 out of range; expected an integer in [-2^63, 2^64 - 1]");
  EXPECT_EQ(decode_json_text("18446744073709551615", "f").get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(decode_json_text("-9223372036854775808", "f").get<std::int64_t>(), INT64_MIN);
}

TEST(StrictJson, TextNestingLimit) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(decode_json_text(ok, "f").is_array());
  const std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  const std::string message = error_of_decode([&] { return decode_json_text(deep, "f.json"); });
  EXPECT_NE(message.find("nested deeper than 128 arrays/objects"), std::string::npos) << message;
  const std::string million = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_NE(error_of_decode([&] { return decode_json_text(million, "f.json"); }), "no error");
}

TEST(StrictJson, TextSyntaxErrorsKeepThePosition) {
  EXPECT_EQ(error_of_decode([] { return decode_json_text("{\"a\": }", "f.json"); }),
            "f.json: not valid JSON: parse error at line 1, column 7: syntax error while parsing value - "
            "unexpected '}'; expected '[', '{', or a literal");
}

TEST(StrictJson, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8(bytes({0xc3, 0xa9})));               // U+00E9
  EXPECT_TRUE(is_valid_utf8(bytes({0xf0, 0x9f, 0x98, 0x80})));   // U+1F600
  EXPECT_FALSE(is_valid_utf8(bytes({0xc0, 0x80})));              // overlong NUL
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xa0, 0x80})));        // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8(bytes({0xf4, 0x90, 0x80, 0x80})));  // U+110000
  EXPECT_FALSE(is_valid_utf8(bytes({0xc3})));                    // truncated
  EXPECT_FALSE(is_valid_utf8(bytes({0xc3, 0x28})));              // bad continuation
  EXPECT_FALSE(is_valid_utf8(bytes({0xff})));
}

TEST(StrictJson, CborHandWrittenItems) {
  // {"a": 1} = A1 61 61 01
  EXPECT_EQ(decode_cbor(bytes({0xa1, 0x61, 0x61, 0x01}), "f"), Json({{"a", 1}}));
  // -2^63 = 3B 7F FF FF FF FF FF FF FF (argument 2^63 - 1)
  EXPECT_EQ(decode_cbor(bytes({0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), "f").get<std::int64_t>(),
            INT64_MIN);
  // indefinite array [1, 2] = 9F 01 02 FF; half float 1.0 = F9 3C 00
  EXPECT_EQ(decode_cbor(bytes({0x9f, 0x01, 0x02, 0xff}), "f"), Json::array({1, 2}));
  EXPECT_EQ(decode_cbor(bytes({0xf9, 0x3c, 0x00}), "f").get<double>(), 1.0);
  // indefinite text "ab" in two chunks = 7F 61 61 61 62 FF
  EXPECT_EQ(decode_cbor(bytes({0x7f, 0x61, 0x61, 0x61, 0x62, 0xff}), "f"), Json("ab"));
}

TEST(StrictJson, CborRejectsWhatJsonCannotHold) {
  auto error = [](const std::string& b) { return error_of_decode([&] { return decode_cbor(b, "t.cbor"); }); };
  // -1 - 2^63 = 3B 80 00 00 00 00 00 00 00
  EXPECT_EQ(error(bytes({0xa1, 0x61, 0x6e, 0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0})),
            "t.cbor: n: not a valid CBOR document: at byte 12: negative integer -1 - 9223372036854775808 below -2^63; "
            "expected an integer in [-2^63, 2^64 - 1]");
  EXPECT_EQ(error(bytes({0x62, 0xc3, 0x28})),
            "t.cbor: the top level: not a valid CBOR document: at byte 3: string is not valid UTF-8");
  EXPECT_EQ(error(bytes({0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02})),
            "t.cbor: a: duplicate key `a`; expected each key once per object");
  // an array announcing 2^64 - 1 items in 9 bytes: refused before any allocation
  EXPECT_EQ(
      error(bytes({0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})),
      "t.cbor: the top level: not a valid CBOR document: at byte 9: announces 18446744073709551615 items but only 0 "
      "bytes remain");
  EXPECT_NE(error(bytes({0xf9, 0x7e, 0x00})).find("NaN or infinity"), std::string::npos);  // half NaN
  EXPECT_NE(error(bytes({0xc1, 0x01})).find("tagged item (tag 1)"), std::string::npos);
  EXPECT_NE(error(bytes({0x42, 0x01, 0x02})).find("byte string"), std::string::npos);
  EXPECT_NE(error(bytes({0x01, 0x02})).find("1 bytes after the end of the document"), std::string::npos);
  EXPECT_NE(error(bytes({0x19, 0x01})).find("truncated"), std::string::npos);
  EXPECT_NE(error("").find("empty input"), std::string::npos);
  EXPECT_NE(error(std::string(200, '\x81') + "\x01").find("nested deeper than 128"), std::string::npos);
}

TEST(StrictJson, MessagePackItems) {
  EXPECT_EQ(decode_msgpack(bytes({0x81, 0xa1, 0x61, 0x01}), "f"), Json({{"a", 1}}));
  EXPECT_EQ(decode_msgpack(bytes({0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0}), "f").get<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(decode_msgpack(bytes({0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), "f").get<std::uint64_t>(),
            UINT64_MAX);
  EXPECT_EQ(decode_msgpack(bytes({0xe0}), "f").get<std::int64_t>(), -32);
  auto error = [](const std::string& b) { return error_of_decode([&] { return decode_msgpack(b, "t.msgpack"); }); };
  EXPECT_EQ(error(bytes({0xa2, 0xc3, 0x28})),
            "t.msgpack: the top level: not a valid MessagePack document: at byte 3: string is not valid UTF-8");
  EXPECT_NE(error(bytes({0xd4, 0x01, 0x02})).find("type byte 0xd4"), std::string::npos);
  EXPECT_NE(error(bytes({0xdd, 0xff, 0xff, 0xff, 0xff})).find("announces 4294967295 items"), std::string::npos);
  EXPECT_NE(error(bytes({0x82, 0xa1, 0x61, 0x01, 0xa1, 0x61, 0x02})).find("duplicate key `a`"), std::string::npos);
}

// A second implementation: nlohmann's encoders, on the whole reference trace.
TEST(StrictJson, BinaryRoundTripsOfTheReferenceTrace) {
  const Json doc = trace_to_json(make_synthetic_cifar10_trace());
  const std::vector<std::uint8_t> cbor = Json::to_cbor(doc);
  const std::vector<std::uint8_t> msgpack = Json::to_msgpack(doc);
  EXPECT_EQ(decode_cbor(std::string(cbor.begin(), cbor.end()), "t.cbor"), doc);
  EXPECT_EQ(decode_msgpack(std::string(msgpack.begin(), msgpack.end()), "t.msgpack"), doc);
  EXPECT_EQ(decode_json_text(doc.dump(), "t.json"), doc);
}

}  // namespace
}  // namespace qtsim
