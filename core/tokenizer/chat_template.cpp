#include "core/tokenizer/chat_template.h"

#include "core/common/error.h"
#include "core/tokenizer/tokenizer_json.h"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace strata::tokenizer {

// In the order of the enum's values.
constexpr const char* kRoleNames[] = {"system", "user", "assistant"};

const char* roleName(Role role) {
    return kRoleNames[size_t(role)];
}

const char* const kStrataChatTemplate =
    "{{- bos_token }}\n"
    "{%- for message in messages %}\n"
    "    {%- if message['role'] not in ['system', 'user', 'assistant'] %}\n"
    "        {{- raise_exception('Strata chats have system, user and assistant turns only') }}\n"
    "    {%- endif %}\n"
    "    {{- '<|' + message['role'] + '|>' + message['content'] + eos_token }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|assistant|>' }}\n"
    "{%- endif %}\n";

namespace {

// transformers' markers around a control token found in a message: private-use U+F0000 and
// U+F0001, which no tokenizer meets in real text.
constexpr std::string_view kMarkStart = "\xF3\xB0\x80\x80";
constexpr std::string_view kMarkEnd = "\xF3\xB0\x80\x81";

// A message content with its control tokens wrapped in markers (and any markers it held removed,
// so a user cannot forge one).
std::string markControlTokens(std::string_view content,
                              const std::vector<std::string>& controlTokens) {
    std::string clean;
    for (size_t pos = 0; pos < content.size();) {
        std::string_view rest = content.substr(pos);
        if (rest.starts_with(kMarkStart) || rest.starts_with(kMarkEnd)) {
            pos += kMarkStart.size();
            continue;
        }
        clean += content[pos++];
    }
    std::string out;
    for (size_t pos = 0; pos < clean.size();) {
        const std::string* found = nullptr;
        for (const std::string& token : controlTokens)  // longest first
            if (std::string_view(clean).substr(pos).starts_with(token)) {
                found = &token;
                break;
            }
        if (!found) {
            out += clean[pos++];
            continue;
        }
        out += kMarkStart;
        out += *found;
        out += kMarkEnd;
        pos += found->size();
    }
    return out;
}

// kStrataChatTemplate, once the tokenizer is known to have its tokens.
std::string strataTemplateFor(const Tokenizer& tokenizer) {
    for (const char* token : {"<|bos|>", "<|eos|>", "<|system|>", "<|user|>", "<|assistant|>"})
        if (!tokenizer.findAddedToken(token))
            common::fail(
                "the tokenizer has no {} token; the chat template needs <|bos|>, <|eos|>, "
                "<|system|>, <|user|> and <|assistant|>",
                token);
    return kStrataChatTemplate;
}

// A probe answer no template rewrites: ASCII letters only.
constexpr const char* kProbeAnswer = "StrataProbeAnswer";
constexpr const char* kProbeQuestion = "StrataProbeQuestion";

}  // namespace

ChatTemplate::ChatTemplate(const Tokenizer& tokenizer)
    : ChatTemplate(strataTemplateFor(tokenizer), tokenizer, {"<|bos|>", "<|eos|>"}) {}

ChatTemplate::ChatTemplate(const std::string& source, const Tokenizer& tokenizer,
                           ChatSpecialTokens specialTokens)
    : m_tokenizer(tokenizer),
      m_template(source, "chat template"),
      m_specialTokens(std::move(specialTokens)) {
    // transformers' control tokens: the special tokens, and the other added tokens the template
    // writes itself (found in its text and string constants), white space aside.
    std::vector<std::string> literals = m_template.literals();
    auto inTemplate = [&](const std::string& content) {
        bool space = std::all_of(content.begin(), content.end(), [](char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        });
        return !space &&
               std::any_of(literals.begin(), literals.end(), [&](const std::string& text) {
                   return text.find(content) != std::string::npos;
               });
    };
    for (const AddedToken& token : tokenizer.data().addedTokens)
        if (!token.content.empty() && (token.special || inTemplate(token.content)))
            m_controlTokens.push_back(token.content);
    std::stable_sort(
        m_controlTokens.begin(), m_controlTokens.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    m_endOfTurn = findEndOfTurn();
    m_endOfTurnText = std::string(tokenizer.tokenBytes(m_endOfTurn));
}

TokenId ChatTemplate::findEndOfTurn() const {
    std::string text = m_template.render(
        variables({{Role::User, kProbeQuestion}, {Role::Assistant, kProbeAnswer}}, false, false));
    size_t answer = text.rfind(kProbeAnswer);
    if (answer == std::string::npos)
        common::fail("the chat template does not write an assistant message's content");
    std::string_view after =
        std::string_view(text).substr(answer + std::string(kProbeAnswer).size());
    for (const std::string& token : m_controlTokens)
        if (after.starts_with(token)) return *m_tokenizer.findAddedToken(token);
    common::fail(
        "the chat template follows an assistant message with {}, which starts with no added "
        "token of the tokenizer; Strata needs an end-of-turn token to stop generation",
        jinja::Value(std::string(after.substr(0, 40))).repr());
}

jinja::Dict ChatTemplate::variables(const Conversation& conversation, bool addGenerationPrompt,
                                    bool marked) const {
    std::vector<jinja::Value> messages;
    for (const ChatMessage& message : conversation) {
        jinja::Dict fields;
        fields.set("role", jinja::Value(roleName(message.role)));
        fields.set("content",
                   jinja::Value(marked ? markControlTokens(message.content, m_controlTokens)
                                       : message.content));
        messages.emplace_back(std::move(fields));
    }
    // As apply_chat_template passes them: tools and documents None, special tokens when set.
    jinja::Dict variables;
    variables.set("messages", jinja::Value(std::move(messages)));
    variables.set("tools", jinja::Value(jinja::None{}));
    variables.set("documents", jinja::Value(jinja::None{}));
    variables.set("add_generation_prompt", jinja::Value(addGenerationPrompt));
    if (m_specialTokens.bos) variables.set("bos_token", jinja::Value(*m_specialTokens.bos));
    if (m_specialTokens.eos) variables.set("eos_token", jinja::Value(*m_specialTokens.eos));
    return variables;
}

std::string ChatTemplate::render(const Conversation& conversation, bool addGenerationPrompt) const {
    return m_template.render(variables(conversation, addGenerationPrompt, false));
}

std::string ChatTemplate::renderMarked(const Conversation& conversation,
                                       bool addGenerationPrompt) const {
    return m_template.render(variables(conversation, addGenerationPrompt, true));
}

std::vector<TokenId> ChatTemplate::encodeRendered(std::string_view marked) const {
    // Text outside markers is encoded with the added tokens recognized; a marked control token
    // as plain text. A lone marker (a template's string method cut a pair apart) is dropped but
    // still separates the text on its two sides, as in transformers.
    std::vector<TokenId> ids;
    size_t pos = 0;
    while (pos < marked.size()) {
        size_t start = marked.find(kMarkStart, pos), end = marked.find(kMarkEnd, pos);
        size_t next = std::min(start, end);
        m_tokenizer.encode(marked.substr(pos, next - pos), SpecialPolicy::all(), ids);
        if (next == std::string_view::npos) break;
        pos = next + kMarkStart.size();
        if (next == start && end != std::string_view::npos) {
            std::string_view inside = marked.substr(pos, end - pos);
            if (std::find(m_controlTokens.begin(), m_controlTokens.end(), inside) !=
                m_controlTokens.end()) {
                m_tokenizer.encode(inside, SpecialPolicy::none(), ids);
                pos = end + kMarkEnd.size();
            }
        }
    }
    return ids;
}

size_t ChatTemplate::endOfTurnAfter(const std::string& marked, size_t start) const {
    // Contents are marked, so an unmarked end-of-turn text is the template's own.
    for (size_t found = marked.find(m_endOfTurnText, start); found != std::string::npos;
         found = marked.find(m_endOfTurnText, found + 1)) {
        bool isMarked =
            found >= kMarkStart.size() &&
            std::string_view(marked).substr(found - kMarkStart.size()).starts_with(kMarkStart);
        if (!isMarked) return found + m_endOfTurnText.size();
    }
    common::fail("the chat template writes no {} after an assistant turn",
                 jinja::Value(m_endOfTurnText).repr());
}

size_t ChatTemplate::tokenBoundary(const std::string& marked, size_t position,
                                   const std::vector<TokenId>& ids) const {
    std::vector<TokenId> prefix = encodeRendered(std::string_view(marked).substr(0, position));
    if (prefix.size() > ids.size() || !std::equal(prefix.begin(), prefix.end(), ids.begin()))
        common::fail(
            "an assistant turn of the chat template starts or ends inside a token ({}), so its "
            "loss mask cannot be told apart",
            jinja::Value(marked.substr(position > 20 ? position - 20 : 0, 40)).repr());
    return prefix.size();
}

ChatTokens ChatTemplate::encode(const Conversation& conversation) const {
    std::string full = renderMarked(conversation, false);
    ChatTokens out;
    out.ids = encodeRendered(full);
    out.trained.assign(out.ids.size(), 0);
    size_t previousEnd = 0;
    for (size_t i = 0; i < conversation.size(); ++i) {
        if (conversation[i].role != Role::Assistant) continue;
        if (i == 0) common::fail("a conversation that starts with an assistant turn has no prompt");
        Conversation before(conversation.begin(), conversation.begin() + std::ptrdiff_t(i));
        std::string prompt = renderMarked(before, true);
        if (!full.starts_with(prompt) || prompt.size() < previousEnd) {
            size_t at =
                std::mismatch(prompt.begin(), prompt.end(), full.begin(), full.end()).first -
                prompt.begin();
            common::fail(
                "the chat template does not begin assistant turn {} with what its generation "
                "prompt ends with ({} in the prompt, {} in the conversation), so the turn cannot "
                "be located for the loss mask",
                i + 1, jinja::Value(prompt.substr(at, 30)).repr(),
                jinja::Value(full.substr(at, 30)).repr());
        }
        size_t end = endOfTurnAfter(full, prompt.size());
        size_t first = tokenBoundary(full, prompt.size(), out.ids);
        size_t last = tokenBoundary(full, end, out.ids);
        std::fill(out.trained.begin() + std::ptrdiff_t(first),
                  out.trained.begin() + std::ptrdiff_t(last), 1);
        previousEnd = end;
    }
    return out;
}

std::vector<TokenId> ChatTemplate::encodePrompt(const Conversation& conversation) const {
    return encodeRendered(renderMarked(conversation, true));
}

std::vector<TokenId> ChatTemplate::encodeAnswer(const std::string& answer) const {
    Conversation probe{{Role::User, kProbeQuestion}, {Role::Assistant, answer}};
    ChatTokens tokens = encode(probe);
    std::vector<TokenId> out;
    for (size_t i = 0; i < tokens.ids.size(); ++i)
        if (tokens.trained[i]) out.push_back(tokens.ids[i]);
    return out;
}

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) common::fail("cannot read {}", path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

[[noreturn]] void failChatTemplateType(const std::filesystem::path& config) {
    common::fail("{}: chat_template is neither a string nor a list with a \"default\" template",
                 config.string());
}

}  // namespace

std::optional<std::string> readChatTemplate(const std::filesystem::path& modelFolder) {
    std::filesystem::path jinjaFile = modelFolder / "chat_template.jinja";
    if (std::filesystem::exists(jinjaFile)) return readFile(jinjaFile);
    std::filesystem::path config = modelFolder / "tokenizer_config.json";
    if (!std::filesystem::exists(config)) return std::nullopt;
    // Only chat_template is read, on demand: many real files hold integers no 64-bit type holds
    // (model_max_length 1e30 written out in full), which a whole-document parse refuses.
    simdjson::padded_string text(readFile(config));
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document document;
    simdjson::ondemand::object root;
    simdjson::error_code parsed = parser.iterate(text).get(document);
    if (!parsed) parsed = document.get_object().get(root);
    if (parsed == simdjson::INCORRECT_TYPE) common::fail("{}: not a JSON object", config.string());
    if (parsed)
        common::fail("{}: not valid JSON ({})", config.string(), simdjson::error_message(parsed));
    simdjson::ondemand::value chatTemplate;
    simdjson::error_code error = root.find_field_unordered("chat_template").get(chatTemplate);
    if (error == simdjson::NO_SUCH_FIELD) return std::nullopt;
    auto invalid = [&config] { failChatTemplateType(config); };
    if (error)
        common::fail("{}: not valid JSON ({})", config.string(), simdjson::error_message(error));
    simdjson::ondemand::json_type type;
    if (chatTemplate.type().get(type)) invalid();
    if (type == simdjson::ondemand::json_type::null) return std::nullopt;
    std::string_view source;
    if (type == simdjson::ondemand::json_type::string) {
        if (chatTemplate.get_string().get(source)) invalid();
        return std::string(source);
    }
    simdjson::ondemand::array named;
    if (type != simdjson::ondemand::json_type::array || chatTemplate.get_array().get(named))
        invalid();
    // Error codes throughout: a malformed list is this function's one-line error, never a
    // simdjson exception.
    for (auto item : named) {
        simdjson::ondemand::object entry;
        std::string_view name;
        if (item.get_object().get(entry)) invalid();
        if (entry.find_field_unordered("name").get_string().get(name) || name != "default")
            continue;
        if (entry.find_field_unordered("template").get_string().get(source)) invalid();
        return std::string(source);
    }
    failChatTemplateType(config);
}

ChatTemplate modelChatTemplate(const std::filesystem::path& modelFolder,
                               const Tokenizer& tokenizer) {
    std::optional<std::string> source = readChatTemplate(modelFolder);
    TokenizerData specials;
    if (source) readTokenizerConfig(modelFolder, specials);
    try {
        if (!source) return ChatTemplate(tokenizer);
        ChatSpecialTokens tokens;
        if (!specials.bosToken.empty()) tokens.bos = specials.bosToken;
        if (!specials.eosToken.empty()) tokens.eos = specials.eosToken;
        return ChatTemplate(*source, tokenizer, tokens);
    } catch (const common::Error& error) {
        common::fail("{}: {}", modelFolder.string(), error.what());
    }
}

}  // namespace strata::tokenizer
