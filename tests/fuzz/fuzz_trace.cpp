// Traces in their three encodings: the first byte picks JSON text, CBOR or
// MessagePack; the rest is the document, read as read_trace reads a file.
#include "base/strict_json.h"
#include "tests/fuzz/fuzz_util.h"
#include "workloads/trace/trace_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  if (size < 1) return 0;
  const std::string bytes = fuzz::text(data + 1, size - 1);
  fuzz::expect_only_errors([&] {
    Json doc;
    switch (data[0] % 3) {
      case 0:
        doc = decode_json_text(bytes, "trace.json");
        break;
      case 1:
        doc = decode_cbor(bytes, "trace.cbor");
        break;
      default:
        doc = decode_msgpack(bytes, "trace.msgpack");
        break;
    }
    parse_trace(doc, "trace");
  });
  return 0;
}
