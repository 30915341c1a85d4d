#include "base/strict_json.h"

#include <string>

#include "base/error.h"
#include "base/json_builder.h"

namespace qtsim {
namespace {

// nlohmann's SAX interface over the builder, for JSON text.
class TextSax {
 public:
  explicit TextSax(DocumentBuilder& b) : b_(b) {}
  bool null() { return b_.value(nullptr), true; }
  bool boolean(bool v) { return b_.value(v), true; }
  bool number_integer(Json::number_integer_t v) { return b_.value(v), true; }
  bool number_unsigned(Json::number_unsigned_t v) { return b_.value(v), true; }
  bool number_float(Json::number_float_t v, const std::string& text) {
    // The lexer reads an integer literal that does not fit 64 bits as a double.
    if (text.find_first_of(".eE") == std::string::npos) {
      b_.fail("integer " + text + " out of range; expected an integer in [-2^63, 2^64 - 1]");
    }
    b_.value(v);
    return true;
  }
  bool string(std::string& v) { return b_.value(v), true; }
  bool binary(Json::binary_t&) { b_.fail("binary value; expected JSON values only"); }
  bool start_object(std::size_t) { return b_.start(Json::object()), true; }
  bool key(std::string& k) { return b_.key(k), true; }
  bool end_object() { return b_.end(), true; }
  bool start_array(std::size_t) { return b_.start(Json::array()), true; }
  bool end_array() { return b_.end(), true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3, column 5: ...".
    std::string what = e.what();
    auto pos = what.find("] ");
    what = pos == std::string::npos ? what : what.substr(pos + 2);
    if (e.id == 406) b_.fail(what + "; expected a number within double range");  // e.g. 1e309
    // A syntax error is located by its line and column, not by a key path.
    throw Error(b_.source() + ": not valid JSON: " + what);
  }

 private:
  DocumentBuilder& b_;
};

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    int extra;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<std::uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

Json decode_json_text(std::string_view text, const std::string& source) {
  DocumentBuilder builder(source);
  TextSax sax(builder);
  Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, /*strict=*/true);
  return builder.take();
}

}  // namespace qtsim
