#include "payments/bank/sandbox_bank_record_internal.h"

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>

namespace mpay::bank {

namespace {

using FlatValue = std::variant<std::string, int64_t>;
using FlatObject = std::map<std::string, FlatValue, std::less<>>;

Error record_invalid(std::string message) {
  return Error("sandbox_record_invalid", std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Encoding

void append_json_string(std::string_view text, std::string* out) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  *out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      *out += "\\u00";
      *out += kHexDigits[byte >> 4];
      *out += kHexDigits[byte & 0x0F];
    } else {
      *out += c;
    }
  }
  *out += '"';
}

class LineWriter {
 public:
  void field(std::string_view key, std::string_view value) {
    begin_field(key);
    append_json_string(value, &line_);
  }
  void field(std::string_view key, int64_t value) {
    begin_field(key);
    line_ += std::to_string(value);
  }
  std::string finish() { return line_ + "}\n"; }

 private:
  void begin_field(std::string_view key) {
    line_ += line_.empty() ? "{" : ",";
    append_json_string(key, &line_);
    line_ += ':';
  }
  std::string line_;
};

std::string encode_link(const SandboxLinkRecord& link) {
  LineWriter writer;
  writer.field("record", "link");
  writer.field("bank_account_token", link.bank_account_token);
  writer.field("bank_code", link.account.bank_code);
  writer.field("account_number", link.account.account_number);
  writer.field("holder_name", link.account.holder_name);
  return writer.finish();
}

std::string encode_order(const SandboxOrderRecord& record) {
  LineWriter writer;
  writer.field("record", "order");
  writer.field("reference", record.order.reference);
  writer.field("direction", to_string(record.direction));
  writer.field("bank_account_token", record.order.bank_account_token);
  writer.field("amount_minor", record.order.amount_minor);
  writer.field("currency", record.order.currency);
  writer.field("outcome", to_string(record.result.outcome));
  writer.field("decline_code", record.result.decline_code);
  writer.field("bank_transaction_id", record.result.bank_transaction_id);
  writer.field("value_date", record.value_date);
  return writer.finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding: strict JSON, one flat object

class FlatObjectParser {
 public:
  explicit FlatObjectParser(std::string_view text) : text_(text) {}

  Result<FlatObject> parse() {
    FlatObject object;
    skip_space();
    if (!consume('{')) return record_invalid("expected '{'");
    skip_space();
    if (consume('}')) return finish(std::move(object));
    while (true) {
      skip_space();
      std::optional<std::string> key = parse_string();
      if (!key) return record_invalid("expected a string key at byte " + std::to_string(at_));
      skip_space();
      if (!consume(':')) return record_invalid("expected ':' at byte " + std::to_string(at_));
      skip_space();
      std::optional<FlatValue> value = parse_value();
      if (!value) return record_invalid("bad value for key \"" + *key + "\"");
      if (!object.emplace(*key, std::move(*value)).second) {
        return record_invalid("duplicate key \"" + *key + "\"");
      }
      skip_space();
      if (consume('}')) return finish(std::move(object));
      if (!consume(',')) return record_invalid("expected ',' or '}' at byte " + std::to_string(at_));
    }
  }

 private:
  Result<FlatObject> finish(FlatObject object) {
    skip_space();
    if (at_ != text_.size()) return record_invalid("trailing bytes after the object");
    return object;
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
  }

  bool consume(char expected) {
    if (at_ < text_.size() && text_[at_] == expected) {
      ++at_;
      return true;
    }
    return false;
  }

  std::optional<FlatValue> parse_value() {
    if (at_ < text_.size() && text_[at_] == '"') {
      std::optional<std::string> text = parse_string();
      if (!text) return std::nullopt;
      return FlatValue(std::move(*text));
    }
    return parse_integer();
  }

  std::optional<FlatValue> parse_integer() {
    size_t start = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    size_t digits_start = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    size_t digit_count = at_ - digits_start;
    if (digit_count == 0) return std::nullopt;
    if (digit_count > 1 && text_[digits_start] == '0') return std::nullopt;
    int64_t value = 0;
    auto [end, error] = std::from_chars(text_.data() + start, text_.data() + at_, value);
    if (error != std::errc() || end != text_.data() + at_) return std::nullopt;
    return FlatValue(value);
  }

  std::optional<std::string> parse_string() {
    if (!consume('"')) return std::nullopt;
    std::string out;
    while (at_ < text_.size()) {
      char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) return std::nullopt;
      char escaped = text_[at_++];
      switch (escaped) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u':
          if (!parse_unicode_escape(&out)) return std::nullopt;
          break;
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // \uXXXX outside the surrogate range, appended as UTF-8.
  bool parse_unicode_escape(std::string* out) {
    if (at_ + 4 > text_.size()) return false;
    uint32_t code_point = 0;
    auto [end, error] = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, code_point, 16);
    if (error != std::errc() || end != text_.data() + at_ + 4) return false;
    at_ += 4;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (code_point < 0x80) {
      *out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
      *out += static_cast<char>(0xC0 | (code_point >> 6));
      *out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
      *out += static_cast<char>(0xE0 | (code_point >> 12));
      *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
};

class FieldReader {
 public:
  explicit FieldReader(const FlatObject& object) : object_(object) {}

  bool text(std::string_view key, std::string* out) {
    auto found = object_.find(key);
    if (found == object_.end() || !std::holds_alternative<std::string>(found->second)) {
      return fail(key);
    }
    *out = std::get<std::string>(found->second);
    return true;
  }
  bool integer(std::string_view key, int64_t* out) {
    auto found = object_.find(key);
    if (found == object_.end() || !std::holds_alternative<int64_t>(found->second)) {
      return fail(key);
    }
    *out = std::get<int64_t>(found->second);
    return true;
  }
  const std::string& missing() const { return missing_; }

 private:
  bool fail(std::string_view key) {
    if (missing_.empty()) missing_ = std::string(key);
    return false;
  }
  const FlatObject& object_;
  std::string missing_;
};

Result<SandboxRecord> decode_link(FieldReader& reader) {
  SandboxLinkRecord link;
  bool complete = reader.text("bank_account_token", &link.bank_account_token) &&
                  reader.text("bank_code", &link.account.bank_code) &&
                  reader.text("account_number", &link.account.account_number) &&
                  reader.text("holder_name", &link.account.holder_name);
  if (!complete) return record_invalid("link record: missing or mistyped " + reader.missing());
  return SandboxRecord(std::move(link));
}

std::optional<BankOrderDirection> direction_from_text(std::string_view text) {
  if (text == to_string(BankOrderDirection::debit)) return BankOrderDirection::debit;
  if (text == to_string(BankOrderDirection::credit)) return BankOrderDirection::credit;
  return std::nullopt;
}

std::optional<BankOrderOutcome> outcome_from_text(std::string_view text) {
  for (BankOrderOutcome outcome : {BankOrderOutcome::confirmed, BankOrderOutcome::declined,
                                   BankOrderOutcome::timed_out}) {
    if (text == to_string(outcome)) return outcome;
  }
  return std::nullopt;
}

Result<SandboxRecord> decode_order(FieldReader& reader) {
  SandboxOrderRecord record;
  std::string direction;
  std::string outcome;
  bool complete = reader.text("reference", &record.order.reference) &&
                  reader.text("direction", &direction) &&
                  reader.text("bank_account_token", &record.order.bank_account_token) &&
                  reader.integer("amount_minor", &record.order.amount_minor) &&
                  reader.text("currency", &record.order.currency) &&
                  reader.text("outcome", &outcome) &&
                  reader.text("decline_code", &record.result.decline_code) &&
                  reader.text("bank_transaction_id", &record.result.bank_transaction_id) &&
                  reader.text("value_date", &record.value_date);
  if (!complete) return record_invalid("order record: missing or mistyped " + reader.missing());
  std::optional<BankOrderDirection> parsed_direction = direction_from_text(direction);
  if (!parsed_direction) return record_invalid("order record: unknown direction " + direction);
  std::optional<BankOrderOutcome> parsed_outcome = outcome_from_text(outcome);
  if (!parsed_outcome) return record_invalid("order record: unknown outcome " + outcome);
  record.direction = *parsed_direction;
  record.result.outcome = *parsed_outcome;
  record.result.reference = record.order.reference;
  return SandboxRecord(std::move(record));
}

}  // namespace

std::string encode_sandbox_record(const SandboxRecord& record) {
  if (const auto* link = std::get_if<SandboxLinkRecord>(&record)) return encode_link(*link);
  return encode_order(std::get<SandboxOrderRecord>(record));
}

Result<SandboxRecord> decode_sandbox_record(std::string_view line) {
  if (line.size() > kSandboxRecordBytesMax) return record_invalid("record too long");
  Result<FlatObject> object = FlatObjectParser(line).parse();
  if (!object.ok()) return object.error();
  FieldReader reader(*object);
  std::string kind;
  if (!reader.text("record", &kind)) return record_invalid("missing or mistyped record");
  if (kind == "link") return decode_link(reader);
  if (kind == "order") return decode_order(reader);
  return record_invalid("unknown record kind " + kind);
}

}  // namespace mpay::bank
