// The strict CBOR and MessagePack decoders of base/strict_json.h, written by
// hand so that every count is checked against the bytes left before anything
// is allocated.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "base/error.h"
#include "base/json_builder.h"
#include "base/strict_json.h"

namespace qtsim {
namespace {

// A cursor over binary input; every read checks the remaining length.
class ByteReader {
 public:
  ByteReader(std::string_view bytes, DocumentBuilder& b, const char* format) : bytes_(bytes), b_(b), format_(format) {}
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool done() const { return pos_ == bytes_.size(); }
  std::uint8_t peek() {
    need(1);
    return static_cast<std::uint8_t>(bytes_[pos_]);
  }
  std::uint8_t byte() {
    need(1);
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }
  std::uint64_t big_endian(int n) {
    need(static_cast<std::uint64_t>(n));
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes_[pos_++]);
    return v;
  }
  std::string text(std::uint64_t length) {
    need(length);
    std::string s(bytes_.substr(pos_, static_cast<std::size_t>(length)));
    pos_ += static_cast<std::size_t>(length);
    if (!is_valid_utf8(s)) fail("string is not valid UTF-8");
    return s;
  }
  // A container announcing `count` items needs at least one byte each.
  void check_count(std::uint64_t count, std::uint64_t bytes_per_item) {
    if (count > remaining() / bytes_per_item) {
      fail("announces " + std::to_string(count) + " items but only " + std::to_string(remaining()) + " bytes remain");
    }
  }
  void need(std::uint64_t n) {
    if (n > remaining()) {
      fail("truncated: needs " + std::to_string(n) + " more bytes, " + std::to_string(remaining()) + " remain");
    }
  }
  [[noreturn]] void fail(const std::string& problem) const {
    b_.fail(std::string("not a valid ") + format_ + " document: at byte " + std::to_string(pos_) + ": " + problem);
  }
  DocumentBuilder& builder() { return b_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  DocumentBuilder& b_;
  const char* format_;
};

double finite(ByteReader& r, double v) {
  if (!std::isfinite(v)) r.fail("NaN or infinity; expected a finite number");
  return v;
}

double half_to_double(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) {
    v = std::ldexp(mantissa, -24);
  } else if (exponent != 31) {
    v = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    v = mantissa == 0 ? INFINITY : NAN;
  }
  return (h & 0x8000) ? -v : v;
}

double float_from_bits(std::uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

double double_from_bits(std::uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// --- CBOR -------------------------------------------------------------------

// An item's argument: a count, a length or a value; nullopt for an
// indefinite length (additional information 31).
using Argument = std::optional<std::uint64_t>;

Argument cbor_argument(ByteReader& r, int info, bool indefinite_allowed) {
  if (info < 24) return static_cast<std::uint64_t>(info);
  if (info <= 27) return r.big_endian(1 << (info - 24));
  if (info == 31 && indefinite_allowed) return std::nullopt;
  r.fail("reserved or malformed item header (additional information " + std::to_string(info) + ")");
}

std::uint64_t cbor_value(ByteReader& r, int info) { return *cbor_argument(r, info, false); }

void cbor_item(ByteReader& r);

std::string cbor_text(ByteReader& r, int info) {
  const Argument length = cbor_argument(r, info, true);
  if (length) return r.text(*length);
  std::string joined;  // indefinite length: definite text chunks up to a break (0xff)
  while (true) {
    const std::uint8_t ib = r.byte();
    if (ib == 0xff) break;
    if ((ib >> 5) != 3 || (ib & 31) == 31)
      r.fail("an indefinite-length string holds a chunk that is not a text string");
    joined += r.text(cbor_value(r, ib & 31));
  }
  return joined;
}

// Reads items until a break (indefinite) or `count` items.
template <typename ReadOne>
void cbor_items(ByteReader& r, Argument count, std::uint64_t min_bytes, ReadOne read_one) {
  if (!count) {
    while (r.peek() != 0xff) read_one();
    r.byte();
    return;
  }
  r.check_count(*count, min_bytes);
  for (std::uint64_t i = 0; i < *count; ++i) read_one();
}

// Major type 1: the integer -1 - n.
std::int64_t cbor_negative(ByteReader& r, int info) {
  const std::uint64_t n = cbor_value(r, info);
  if (n > static_cast<std::uint64_t>(INT64_MAX)) {
    r.fail("negative integer -1 - " + std::to_string(n) + " below -2^63; expected an integer in [-2^63, 2^64 - 1]");
  }
  return -1 - static_cast<std::int64_t>(n);
}

// Major type 4.
void cbor_array(ByteReader& r, int info) {
  DocumentBuilder& b = r.builder();
  const Argument count = cbor_argument(r, info, true);
  if (count) r.check_count(*count, 1);
  b.start(Json::array());
  cbor_items(r, count, 1, [&] { cbor_item(r); });
  b.end();
}

// Major type 5: text keys only.
void cbor_map(ByteReader& r, int info) {
  DocumentBuilder& b = r.builder();
  const Argument count = cbor_argument(r, info, true);
  if (count) r.check_count(*count, 2);
  b.start(Json::object());
  cbor_items(r, count, 2, [&] {
    const std::uint8_t kb = r.byte();
    if ((kb >> 5) != 3) r.fail("map key is not a text string");
    b.key(cbor_text(r, kb & 31));
    cbor_item(r);
  });
  b.end();
}

// Major type 7: false, true, null and floats.
void cbor_simple(ByteReader& r, int info) {
  DocumentBuilder& b = r.builder();
  switch (info) {
    case 20:
      b.value(false);
      return;
    case 21:
      b.value(true);
      return;
    case 22:
      b.value(nullptr);
      return;
    case 25:
      b.value(finite(r, half_to_double(static_cast<std::uint16_t>(r.big_endian(2)))));
      return;
    case 26:
      b.value(finite(r, float_from_bits(static_cast<std::uint32_t>(r.big_endian(4)))));
      return;
    case 27:
      b.value(finite(r, double_from_bits(r.big_endian(8))));
      return;
    case 31:
      r.fail("break (0xff) outside an indefinite-length item");
    default:
      r.fail("simple value " + std::to_string(info) + "; expected false, true, null or a number");
  }
}

void cbor_item(ByteReader& r) {
  DocumentBuilder& b = r.builder();
  const std::uint8_t ib = r.byte();
  const int major = ib >> 5;
  const int info = ib & 31;
  switch (major) {
    case 0:
      b.value(cbor_value(r, info));
      return;
    case 1:
      b.value(cbor_negative(r, info));
      return;
    case 2:
      r.fail("byte string; qtsim documents hold JSON values only");
    case 3:
      b.value(cbor_text(r, info));
      return;
    case 4:
      cbor_array(r, info);
      return;
    case 5:
      cbor_map(r, info);
      return;
    case 6:
      r.fail("tagged item (tag " + std::to_string(cbor_value(r, info)) + "); qtsim documents hold JSON values only");
    default:
      break;
  }
  cbor_simple(r, info);
}

// --- MessagePack --------------------------------------------------------------

void msgpack_item(ByteReader& r);

void msgpack_array(ByteReader& r, std::uint64_t count) {
  DocumentBuilder& b = r.builder();
  r.check_count(count, 1);
  b.start(Json::array());
  for (std::uint64_t i = 0; i < count; ++i) msgpack_item(r);
  b.end();
}

std::string msgpack_key(ByteReader& r) {
  const std::uint8_t kb = r.byte();
  if (kb >= 0xa0 && kb <= 0xbf) return r.text(kb & 0x1f);
  if (kb >= 0xd9 && kb <= 0xdb) return r.text(r.big_endian(1 << (kb - 0xd9)));
  r.fail("map key is not a string");
}

void msgpack_map(ByteReader& r, std::uint64_t count) {
  DocumentBuilder& b = r.builder();
  r.check_count(count, 2);
  b.start(Json::object());
  for (std::uint64_t i = 0; i < count; ++i) {
    b.key(msgpack_key(r));
    msgpack_item(r);
  }
  b.end();
}

void msgpack_item(ByteReader& r) {
  DocumentBuilder& b = r.builder();
  const std::uint8_t t = r.byte();
  if (t <= 0x7f) return b.value(std::uint64_t{t});
  if (t >= 0xe0) return b.value(static_cast<std::int64_t>(static_cast<std::int8_t>(t)));
  if (t <= 0x8f) return msgpack_map(r, t & 0x0f);
  if (t <= 0x9f) return msgpack_array(r, t & 0x0f);
  if (t <= 0xbf) return b.value(r.text(t & 0x1f));
  switch (t) {
    case 0xc0:
      return b.value(nullptr);
    case 0xc2:
      return b.value(false);
    case 0xc3:
      return b.value(true);
    case 0xca:
      return b.value(finite(r, float_from_bits(static_cast<std::uint32_t>(r.big_endian(4)))));
    case 0xcb:
      return b.value(finite(r, double_from_bits(r.big_endian(8))));
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf:
      return b.value(r.big_endian(1 << (t - 0xcc)));
    case 0xd0:
      return b.value(static_cast<std::int64_t>(static_cast<std::int8_t>(r.big_endian(1))));
    case 0xd1:
      return b.value(static_cast<std::int64_t>(static_cast<std::int16_t>(r.big_endian(2))));
    case 0xd2:
      return b.value(static_cast<std::int64_t>(static_cast<std::int32_t>(r.big_endian(4))));
    case 0xd3:
      return b.value(static_cast<std::int64_t>(r.big_endian(8)));
    case 0xd9:
    case 0xda:
    case 0xdb:
      return b.value(r.text(r.big_endian(1 << (t - 0xd9))));
    case 0xdc:
    case 0xdd:
      return msgpack_array(r, r.big_endian(t == 0xdc ? 2 : 4));
    case 0xde:
    case 0xdf:
      return msgpack_map(r, r.big_endian(t == 0xde ? 2 : 4));
    default:
      break;
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", t);
  r.fail(std::string("type byte ") + hex + " (binary, extension or unused); qtsim documents hold JSON values only");
}

template <typename ReadItem>
Json decode_binary(std::string_view bytes, const std::string& source, const char* format, ReadItem read_item) {
  DocumentBuilder builder(source);
  ByteReader reader(bytes, builder, format);
  if (bytes.empty()) reader.fail("empty input");
  read_item(reader);
  if (!reader.done()) reader.fail(std::to_string(reader.remaining()) + " bytes after the end of the document");
  return builder.take();
}

}  // namespace

Json decode_cbor(std::string_view bytes, const std::string& source) {
  return decode_binary(bytes, source, "CBOR", [](ByteReader& r) { cbor_item(r); });
}

Json decode_msgpack(std::string_view bytes, const std::string& source) {
  return decode_binary(bytes, source, "MessagePack", [](ByteReader& r) { msgpack_item(r); });
}

}  // namespace qtsim
