#include "created_id.h"

#include <nlohmann/json.hpp>

namespace mpay::bench {
namespace {

// nlohmann's SAX interface: events in document order, no tree; returning false stops the parse.
class TopLevelId final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::optional<std::string> id;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t& text) override {
    if (depth_ == 1 && id_is_next_) {
      id = std::move(text);
      return false;  // found: stop reading
    }
    return value();
  }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return false;  // an array answer: no id
    return open();
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    id_is_next_ = depth_ == 1 && name == "id";
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool value() {
    id_is_next_ = false;
    return depth_ > 0;  // a bare value at the top is not an object
  }
  bool open() {
    id_is_next_ = false;
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  bool id_is_next_ = false;
};

}  // namespace

std::optional<std::string> created_id(std::string_view answer) {
  TopLevelId reader;
  nlohmann::json::sax_parse(answer, &reader);
  return reader.id;
}

}  // namespace mpay::bench
