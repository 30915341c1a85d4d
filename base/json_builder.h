#pragma once
// DocumentBuilder: builds a Json value from a stream of parse events, for the
// strict decoders of base/strict_json.h (JSON text in strict_json.cpp, CBOR
// and MessagePack in binary_json.cpp): it enforces the depth limit and unique
// keys, and tracks the key path of the value being built for messages.
// Internal to base/.
#include <string>
#include <vector>

#include "base/error.h"
#include "base/strict_json.h"

namespace qtsim {

class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::string source) : source_(std::move(source)) {}

  void value(Json v) { place(std::move(v)); }
  void start(Json container) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth) {
      fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " arrays/objects; expected at most " +
           std::to_string(kMaxJsonDepth) + " levels");
    }
    Json* placed = place(std::move(container));
    stack_.push_back(Frame{placed, nullptr, ""});
  }
  void key(const std::string& k) {
    Frame& f = stack_.back();
    if (f.container->contains(k)) fail("duplicate key `" + k + "`; expected each key once per object");
    f.key = k;
    f.slot = &(*f.container)[k];
  }
  void end() { stack_.pop_back(); }
  Json take() { return std::move(root_); }
  const std::string& source() const { return source_; }

  // The key path of the value being read: "a.b[3]", or "the top level"
  // (deep paths keep their first and last levels: "a[0][0]...[0].b").
  std::string path() const {
    std::string p;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_.size() > 12 && i == 6) {
        p += "...";
        i = stack_.size() - 4;
      }
      const Frame& f = stack_[i];
      if (f.container->is_array()) {
        // Inside a child container the child is the last element; otherwise the next one is being read.
        const std::size_t size = f.container->size();
        p += "[" + std::to_string(i + 1 < stack_.size() ? size - 1 : size) + "]";
      } else if (!f.key.empty()) {
        p += (p.empty() ? "" : ".") + f.key;
      }
    }
    return p.empty() ? "the top level" : p;
  }
  [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + path() + ": " + problem); }

 private:
  struct Frame {
    Json* container;
    Json* slot;  // objects: where the value of the last key goes
    std::string key;
  };

  Json* place(Json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = stack_.back();
    if (f.container->is_array()) {
      f.container->push_back(std::move(v));
      return &f.container->back();
    }
    Json* slot = f.slot;
    *slot = std::move(v);
    f.slot = nullptr;
    return slot;
  }

  std::string source_;
  Json root_;
  std::vector<Frame> stack_;
};

}  // namespace qtsim
