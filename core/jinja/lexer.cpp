#include "core/jinja/lexer.h"

#include "core/common/utf8.h"
#include "core/jinja/python_text.h"
#include "core/jinja/value.h"

#include <array>

namespace strata::jinja {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || isDigit(c);
}

// Jinja reads the source with every line break as "\n" and, keep_trailing_newline being off,
// without its final line break.
std::string normalizedSource(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            out += '\n';
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            out += source[i];
        }
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// The length of the Python white space that starts at `pos`.
size_t spaceAt(std::string_view text, size_t pos) {
    size_t length = common::utf8SequenceLength(text, pos);
    if (length == 0) return 0;
    size_t at = pos;
    return isPythonSpace(common::decodeUtf8(text, at)) ? length : 0;
}

size_t skipSpace(std::string_view text, size_t pos) {
    while (pos < text.size()) {
        size_t length = spaceAt(text, pos);
        if (length == 0) break;
        pos += length;
    }
    return pos;
}

bool isAllSpace(std::string_view text) {
    return !text.empty() && skipSpace(text, 0) == text.size();
}

std::string rstripSpace(std::string_view text) {
    return strip(text, StripSide::Right);
}

// A string literal's value: Python's unicode-escape rules for the backslash sequences.
std::string decodeString(std::string_view body, int line) {
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c != '\\' || i + 1 == body.size()) {
            out += c;
            continue;
        }
        char e = body[++i];
        auto hex = [&](size_t digits) {
            uint32_t value = 0;
            for (size_t k = 1; k <= digits; ++k) {
                char h = i + k < body.size() ? body[i + k] : 'g';
                int digit = isDigit(h)               ? h - '0'
                            : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                            : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                     : -1;
                if (digit < 0) throw TemplateError{"truncated escape in a string", line};
                value = value * 16 + uint32_t(digit);
            }
            i += digits;
            common::appendUtf8(out, char32_t(value));
        };
        switch (e) {
            case '\n':
                break;
            case '\\':
                out += '\\';
                break;
            case '\'':
                out += '\'';
                break;
            case '"':
                out += '"';
                break;
            case 'a':
                out += '\a';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'v':
                out += '\v';
                break;
            case 'x':
                hex(2);
                break;
            case 'u':
                hex(4);
                break;
            case 'U':
                hex(8);
                break;
            default:
                if (e >= '0' && e <= '7') {
                    uint32_t value = uint32_t(e - '0');
                    for (int k = 0;
                         k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
                         ++k)
                        value = value * 8 + uint32_t(body[++i] - '0');
                    common::appendUtf8(out, char32_t(value));
                } else {
                    out += '\\';  // Python keeps an unknown escape as it is
                    out += e;
                }
        }
    }
    return out;
}

constexpr std::array<std::string_view, 6> kTwoCharOperators = {"//", "**", "==", "!=", ">=", "<="};
constexpr std::string_view kOneCharOperators = "+-/*%~[](){}><=.:|,;";

class Lexer {
public:
    explicit Lexer(std::string_view source) : m_source(normalizedSource(source)) {}

    std::vector<Token> run() {
        bool lineStarting = true;  // Jinja's "the last match ended a line"
        while (m_pos < m_source.size()) {
            size_t tag = m_source.find('{', m_pos);
            while (tag != std::string::npos && tag + 1 < m_source.size() &&
                   m_source[tag + 1] != '{' && m_source[tag + 1] != '%' && m_source[tag + 1] != '#')
                tag = m_source.find('{', tag + 1);
            if (tag == std::string::npos || tag + 1 >= m_source.size()) {
                pushText(m_source.substr(m_pos), m_pos);
                break;
            }
            char kind = m_source[tag + 1];
            char sign = tag + 2 < m_source.size() ? m_source[tag + 2] : '\0';
            std::string text = m_source.substr(m_pos, tag - m_pos);
            if (sign == '-') {
                text = rstripSpace(text);
            } else if (sign != '+' && kind != '{') {
                size_t lineStart = text.rfind('\n');
                lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
                if ((lineStart > 0 || lineStarting) &&
                    isAllSpace(std::string_view(text).substr(lineStart)))
                    text.resize(lineStart);
            }
            pushText(text, m_pos);
            m_pos = tag + 2 + (sign == '-' || sign == '+');
            if (kind == '#')
                lineStarting = skipComment(tag);
            else
                lineStarting = lexTag(kind == '{', tag);
        }
        m_tokens.push_back({TokenKind::End, "", lineAt(m_source.size())});
        return std::move(m_tokens);
    }

private:
    int lineAt(size_t pos) {
        for (; m_linePos < pos && m_linePos < m_source.size(); ++m_linePos)
            m_line += m_source[m_linePos] == '\n';
        return m_line;
    }

    void pushText(std::string_view text, size_t at) {
        if (!text.empty()) m_tokens.push_back({TokenKind::Text, std::string(text), lineAt(at)});
    }

    // Skips to the end of a comment; returns whether what it consumed ended a line.
    bool skipComment(size_t open) {
        size_t close = m_source.find("#}", m_pos);
        if (close == std::string::npos)
            throw TemplateError{"Missing end of comment tag", lineAt(open)};
        char sign = close > m_pos ? m_source[close - 1] : '\0';
        m_pos = close + 2;
        if (sign == '-') {
            m_pos = skipSpace(m_source, m_pos);
        } else if (sign != '+' && m_pos < m_source.size() && m_source[m_pos] == '\n') {
            ++m_pos;
        }
        return m_pos > 0 && m_source[m_pos - 1] == '\n';
    }

    // Lexes the inside of `{{ }}` or `{% %}` and its end; returns whether the end ended a line.
    bool lexTag(bool variable, size_t open) {
        m_tokens.push_back(
            {variable ? TokenKind::VariableBegin : TokenKind::BlockBegin, "", lineAt(open)});
        std::vector<char> balance;
        const std::string_view end = variable ? "}}" : "%}";
        while (true) {
            if (m_pos >= m_source.size())
                throw TemplateError{
                    std::string("unexpected end of template, expected '") + std::string(end) + "'",
                    lineAt(m_source.size())};
            std::string_view rest = std::string_view(m_source).substr(m_pos);
            if (balance.empty()) {
                if (!variable && rest.starts_with("+%}")) {
                    pushEnd(variable, 3);
                    return false;
                }
                if (rest.size() > end.size() && rest[0] == '-' && rest.substr(1).starts_with(end)) {
                    pushEnd(variable, 1 + end.size());
                    size_t after = skipSpace(m_source, m_pos);
                    bool endsLine = after > m_pos && m_source[after - 1] == '\n';
                    m_pos = after;
                    return endsLine;
                }
                if (rest.starts_with(end)) {
                    pushEnd(variable, end.size());
                    if (!variable && m_pos < m_source.size() && m_source[m_pos] == '\n') {
                        ++m_pos;
                        return true;
                    }
                    return false;
                }
            }
            size_t space = spaceAt(m_source, m_pos);
            if (space) {
                m_pos += space;
                continue;
            }
            char c = rest[0];
            if (isDigit(c) && (m_pos == 0 || m_source[m_pos - 1] != '.')) {
                lexNumber();
            } else if (isNameStart(c)) {
                size_t start = m_pos;
                while (m_pos < m_source.size() && isNameChar(m_source[m_pos]))
                    ++m_pos;
                m_tokens.push_back(
                    {TokenKind::Name, m_source.substr(start, m_pos - start), lineAt(start)});
            } else if (c == '\'' || c == '"') {
                lexString(c);
            } else {
                lexOperator(balance);
            }
        }
    }

    void pushEnd(bool variable, size_t length) {
        m_tokens.push_back(
            {variable ? TokenKind::VariableEnd : TokenKind::BlockEnd, "", lineAt(m_pos)});
        m_pos += length;
    }

    void lexNumber() {
        size_t start = m_pos;
        auto digits = [&] {
            while (m_pos < m_source.size() && (isDigit(m_source[m_pos]) || m_source[m_pos] == '_'))
                ++m_pos;
        };
        digits();
        bool isFloat = false;
        if (m_pos + 1 < m_source.size() && m_source[m_pos] == '.' && isDigit(m_source[m_pos + 1])) {
            ++m_pos;
            digits();
            isFloat = true;
        }
        if (m_pos < m_source.size() && (m_source[m_pos] == 'e' || m_source[m_pos] == 'E')) {
            size_t exponent = m_pos + 1;
            if (exponent < m_source.size() &&
                (m_source[exponent] == '+' || m_source[exponent] == '-'))
                ++exponent;
            if (exponent < m_source.size() && isDigit(m_source[exponent])) {
                m_pos = exponent;
                digits();
                isFloat = true;
            }
        }
        std::string text;
        for (char c : m_source.substr(start, m_pos - start))
            if (c != '_') text += c;
        Token token{isFloat ? TokenKind::Float : TokenKind::Integer, text, lineAt(start)};
        if (isFloat) {
            token.number = std::stod(text);
        } else {
            try {
                token.integer = std::stoll(text);
            } catch (const std::out_of_range&) {
                throw TemplateError{"integer " + text + " is too large", token.line};
            }
        }
        m_tokens.push_back(std::move(token));
    }

    void lexString(char quote) {
        size_t start = m_pos++;
        while (m_pos < m_source.size() && m_source[m_pos] != quote)
            m_pos += m_source[m_pos] == '\\' ? 2 : 1;
        if (m_pos >= m_source.size())
            throw TemplateError{"unexpected end of string", lineAt(start)};
        ++m_pos;
        int line = lineAt(start);
        std::string_view body = std::string_view(m_source).substr(start + 1, m_pos - start - 2);
        m_tokens.push_back({TokenKind::String, decodeString(body, line), line});
    }

    void lexOperator(std::vector<char>& balance) {
        std::string_view rest = std::string_view(m_source).substr(m_pos);
        int line = lineAt(m_pos);
        for (std::string_view op : kTwoCharOperators)
            if (rest.starts_with(op)) {
                m_tokens.push_back({TokenKind::Operator, std::string(op), line});
                m_pos += 2;
                return;
            }
        char c = rest[0];
        if (kOneCharOperators.find(c) == std::string_view::npos)
            throw TemplateError{std::string("unexpected char '") + c + "'", line};
        if (c == '(' || c == '[' || c == '{')
            balance.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
        if (c == ')' || c == ']' || c == '}') {
            if (balance.empty()) throw TemplateError{std::string("unexpected '") + c + "'", line};
            if (balance.back() != c)
                throw TemplateError{
                    std::string("unexpected '") + c + "', expected '" + balance.back() + "'", line};
            balance.pop_back();
        }
        m_tokens.push_back({TokenKind::Operator, std::string(1, c), line});
        ++m_pos;
    }

    std::string m_source;
    size_t m_pos = 0;
    std::vector<Token> m_tokens;
    size_t m_linePos = 0;
    int m_line = 1;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) {
    return Lexer(source).run();
}

}  // namespace strata::jinja
