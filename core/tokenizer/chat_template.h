// The chat template: how a conversation becomes tokens, the same in SFT, in the rollouts of PPO
// and GRPO, in `strata-cli generate --chat` and in the Playground. It is built on the tokenizer's
// role tokens (the defaults of `strata-cli tokenizer train`):
//
//   <|bos|><|system|>SYSTEM<|eos|><|user|>USER<|eos|><|assistant|>ASSISTANT<|eos|>...
//
// Message contents are encoded as plain text (a "<|eos|>" typed by a user is text, never the
// token). A prompt for generation ends with "<|assistant|>" and the model's answer ends at its
// <|eos|>. SFT trains on the tokens of the assistant turns and their closing <|eos|> only.
#pragma once

#include "core/tokenizer/tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata::tokenizer {

enum class Role { System, User, Assistant };
const char* roleName(Role role);

struct ChatMessage {
    Role role = Role::User;
    std::string content;
};

using Conversation = std::vector<ChatMessage>;

struct ChatTokens {
    std::vector<TokenId> ids;
    std::vector<uint8_t> trained;  // 1 where the token is a target of the SFT loss
};

class ChatTemplate {
public:
    // Throws common::Error naming the missing token when the tokenizer lacks a role token.
    explicit ChatTemplate(const Tokenizer& tokenizer);

    // The whole conversation with its loss mask.
    ChatTokens encode(const Conversation& conversation) const;
    // The conversation followed by "<|assistant|>": what generation continues.
    std::vector<TokenId> encodePrompt(const Conversation& conversation) const;
    // An assistant answer as it follows encodePrompt(): its text and the closing <|eos|>.
    std::vector<TokenId> encodeAnswer(const std::string& answer) const;

    TokenId endOfTurn() const { return m_eos; }

private:
    TokenId roleToken(Role role) const;

    const Tokenizer& m_tokenizer;
    TokenId m_bos, m_eos, m_system, m_user, m_assistant;
};

}  // namespace strata::tokenizer
