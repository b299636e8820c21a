// Jinja's lexer with the settings transformers renders chat templates under: trim_blocks (the
// newline after a block tag or comment goes), lstrip_blocks (the spaces and tabs before a block
// tag or comment on its own line go), `-` and `+` beside a delimiter to strip or keep white
// space, and the one trailing newline of the source dropped. Comments vanish here; the parser
// sees text, the delimiters of `{{ }}` and `{% %}`, and the tokens inside them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::jinja {

enum class TokenKind {
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;  // Text's data, a name, an operator, a string's decoded value
    int line = 1;
    int64_t integer = 0;
    double number = 0;
};

// Throws TemplateError (with its line) for what Jinja's lexer rejects.
std::vector<Token> tokenize(std::string_view source);

}  // namespace strata::jinja
