#include "api/qr_page.h"

#include <fmt/format.h>

#include "channels/qr/merchant_codes.h"
#include "core/money.h"

namespace mpay::api {
namespace {

std::string page(std::string_view title, const std::string& body) {
  return fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{}</title>"
      "<style>body{{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}"
      ".amount{{font-size:2rem;font-weight:bold}}.button{{display:inline-block;padding:.8rem "
      "1.2rem;"
      "background:#1a73e8;color:#fff;border-radius:.4rem;text-decoration:none}}</style>"
      "</head><body>{}</body></html>\n",
      html_escape(title), body);
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

std::string code_landing_page(const qr::QrContext& context, const qr::MerchantCode& code,
                              const requests::MerchantProfile& merchant, int64_t now_ns) {
  const Currency& currency = context.requests.wallet.currency;
  qr::CodeStatus status = qr::code_status(code, now_ns);
  std::string body = fmt::format("<h1>Pay {}</h1><p>{}</p>", html_escape(merchant.display_name),
                                 html_escape(merchant.city));
  if (code.kind == qr::CodeKind::dynamic_code) {
    body += fmt::format("<p class=\"amount\">{} {}</p>", currency.code,
                        format_amount(code.amount_minor, currency));
  } else {
    body += "<p>Enter the amount in the app.</p>";
  }
  if (!code.description.empty()) body += fmt::format("<p>{}</p>", html_escape(code.description));
  if (status != qr::CodeStatus::active) {
    body += fmt::format("<p><strong>This code is {}.</strong> Ask the merchant for a new one.</p>",
                        qr::code_status_name(status));
    return page("mpay", body);
  }
  body += fmt::format(
      "<p><a class=\"button\" href=\"mpay://pay?token={0}\">Open in mpay</a></p>"
      "<p>No app? Scan this code from the mpay web wallet, or enter the code <code>{0}</code>.</p>",
      html_escape(code.token));
  return page("Pay " + merchant.display_name, body);
}

std::string code_missing_page() {
  return page("mpay",
              "<h1>Unknown code</h1><p>This payment code does not exist. Ask the merchant "
              "for a new one.</p>");
}

}  // namespace mpay::api
