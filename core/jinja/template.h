// A Jinja template as transformers renders chat templates (apply_chat_template): the lexer's
// trim_blocks and lstrip_blocks, loop controls, namespace(), macros, transformers' tojson,
// raise_exception and strftime_now, in an immutable sandbox. What it cannot render as transformers
// would is an error, never a guess.
//
//   jinja::Template chat(source, "chat template");
//   std::string text = chat.render(variables);  // messages, add_generation_prompt, bos_token...
//
// Errors are one common::Error line naming the template line: "chat template line 12: unknown
// filter 'foo'"; raise_exception's message comes through the same way.
#pragma once

#include "core/jinja/ast.h"
#include "core/jinja/value.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::jinja {

class Template {
public:
    // Parses `source`; `name` starts every error message.
    Template(std::string_view source, std::string name);

    std::string render(const Dict& variables) const;
    // The template's text and string constants, as transformers collects them to tell which
    // added tokens a template writes itself.
    std::vector<std::string> literals() const;

private:
    std::string m_name;
    std::shared_ptr<const Body> m_body;
};

}  // namespace strata::jinja
