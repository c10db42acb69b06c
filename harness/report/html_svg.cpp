// html_escape and inline_svg (html.h).
#include <string>

#include "harness/report/html.h"

namespace espbench::report {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// Rewrites every occurrence of `key` + quote + [#] + NAME + quote as the same with `prefix` before NAME.
std::string prefix_refs(const std::string& s, const std::string& key, bool hash, const std::string& prefix) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t at = s.find(key, pos);
    if (at == std::string::npos) break;
    size_t v = at + key.size();
    if (v >= s.size() || (s[v] != '"' && s[v] != '\'')) {
      out += s.substr(pos, v - pos);
      pos = v;
      continue;
    }
    ++v;  // after the quote
    if (hash && (v >= s.size() || s[v] != '#')) {
      out += s.substr(pos, v - pos);
      pos = v;
      continue;
    }
    if (hash) ++v;
    out += s.substr(pos, v - pos) + prefix;
    pos = v;
  }
  return out + s.substr(pos);
}

}  // namespace

std::string inline_svg(const std::string& svg, const std::string& prefix) {
  const size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  std::string s = svg.substr(start);
  s = prefix_refs(s, " id=", false, prefix);
  s = prefix_refs(s, "href=", true, prefix);
  std::string out;
  size_t pos = 0;
  for (size_t at; (at = s.find("url(#", pos)) != std::string::npos; pos = at + 5)
    out += s.substr(pos, at + 5 - pos) + prefix;
  out += s.substr(pos);
  // The picture scales with the page; its own size stays its aspect ratio (viewBox).
  const size_t open_end = out.find('>');
  out.insert(open_end, " role=\"img\" preserveAspectRatio=\"xMidYMid meet\"");
  return out;
}

}  // namespace espbench::report
