#include "core/jinja/template.h"

#include "core/common/error.h"
#include "core/jinja/lexer.h"
#include "core/jinja/parser.h"
#include "core/jinja/renderer.h"

namespace strata::jinja {

Template::Template(std::string_view source, std::string name) : m_name(std::move(name)) {
    try {
        m_body = std::make_shared<const Body>(parse(tokenize(source)));
    } catch (const TemplateError& error) {
        common::fail("{} line {}: {}", m_name, error.line, error.message);
    } catch (const std::exception& error) {  // a number out of range and the like
        common::fail("{}: {}", m_name, error.what());
    }
}

std::string Template::render(const Dict& variables) const {
    try {
        return renderBody(*m_body, variables);
    } catch (const TemplateError& error) {
        common::fail("{} line {}: {}", m_name, error.line, error.message);
    } catch (const std::exception& error) {  // a number out of range and the like
        common::fail("{}: {}", m_name, error.what());
    }
}

}  // namespace strata::jinja
