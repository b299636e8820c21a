#include "core/tokenizer/chat_template.h"

#include "core/common/error.h"

namespace strata::tokenizer {

// In the order of the enum's values.
constexpr const char* kRoleNames[] = {"system", "user", "assistant"};

const char* roleName(Role role) {
    return kRoleNames[size_t(role)];
}

ChatTemplate::ChatTemplate(const Tokenizer& tokenizer) : m_tokenizer(tokenizer) {
    auto find = [&](const char* content) {
        std::optional<TokenId> id = tokenizer.findAddedToken(content);
        if (!id)
            common::fail(
                "the tokenizer has no {} token; the chat template needs <|bos|>, <|eos|>, "
                "<|system|>, <|user|> and <|assistant|>",
                content);
        return *id;
    };
    m_bos = find("<|bos|>");
    m_eos = find("<|eos|>");
    m_system = find("<|system|>");
    m_user = find("<|user|>");
    m_assistant = find("<|assistant|>");
}

TokenId ChatTemplate::roleToken(Role role) const {
    return role == Role::System ? m_system : role == Role::User ? m_user : m_assistant;
}

ChatTokens ChatTemplate::encode(const Conversation& conversation) const {
    ChatTokens out;
    out.ids.push_back(m_bos);
    for (const ChatMessage& message : conversation) {
        out.ids.push_back(roleToken(message.role));
        size_t start = out.ids.size();
        m_tokenizer.encode(message.content, SpecialPolicy::none(), out.ids);
        out.ids.push_back(m_eos);
        out.trained.resize(out.ids.size(), 0);
        if (message.role == Role::Assistant)
            std::fill(out.trained.begin() + std::ptrdiff_t(start), out.trained.end(), 1);
    }
    out.trained.resize(out.ids.size(), 0);
    return out;
}

std::vector<TokenId> ChatTemplate::encodePrompt(const Conversation& conversation) const {
    std::vector<TokenId> ids = encode(conversation).ids;
    ids.push_back(m_assistant);
    return ids;
}

std::vector<TokenId> ChatTemplate::encodeAnswer(const std::string& answer) const {
    std::vector<TokenId> ids = m_tokenizer.encode(answer);
    ids.push_back(m_eos);
    return ids;
}

}  // namespace strata::tokenizer
