// The chat template: how a conversation becomes tokens, the same in SFT, in the rollouts of PPO
// and GRPO, in `strata-cli generate --chat` and in the Playground. A template is Jinja source
// rendered by core/jinja exactly as transformers' apply_chat_template renders it; the tokens are
// those of the rendered text, with the tokenizer's added tokens recognized where the template
// wrote them. Control tokens inside message contents stay text (transformers'
// sanitize_control_tokens=True, with its control tokens: the special tokens and the added tokens
// the template's own text holds): a "<|eos|>" typed by a user never ends a turn.
//
// Strata's own tokenizers (`strata-cli tokenizer train`) use kStrataChatTemplate:
//
//   <|bos|><|system|>SYSTEM<|eos|><|user|>USER<|eos|><|assistant|>ASSISTANT<|eos|>...
//
// A model from elsewhere brings its template (readChatTemplate) and its bos/eos strings.
//
// Where things are found, through the template rather than guessed:
// - the end-of-turn token is the added token the template writes right after an assistant
//   message's content; generation stops there;
// - an assistant turn starts where the rendering of the conversation before it, with the
//   generation prompt, ends (which must be a prefix of the whole rendering), and ends with the
//   first end-of-turn token after that. SFT trains on those tokens only, the end-of-turn included;
// - encodeAnswer() is the assistant turn of a one-question conversation, so a template that
//   adds text to answers (Qwen3's empty think block) adds it there too.
// Whatever does not fit (a template that renders earlier turns differently once later ones
// follow, a turn boundary inside a token) is a common::Error, never an approximation.
#pragma once

#include "core/jinja/template.h"
#include "core/tokenizer/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <optional>
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

// The bos_token and eos_token a template reads; absent ones are undefined there, as in
// transformers when the tokenizer has none.
struct ChatSpecialTokens {
    std::optional<std::string> bos;
    std::optional<std::string> eos;
};

// The template of Strata-trained tokenizers.
extern const char* const kStrataChatTemplate;

class ChatTemplate {
public:
    // kStrataChatTemplate; throws common::Error naming the missing token when the tokenizer
    // lacks a role token.
    explicit ChatTemplate(const Tokenizer& tokenizer);
    // A model's own template. Throws common::Error when the template does not parse or no
    // end-of-turn token follows an assistant message.
    ChatTemplate(const std::string& source, const Tokenizer& tokenizer,
                 ChatSpecialTokens specialTokens);

    // The whole conversation with its loss mask.
    ChatTokens encode(const Conversation& conversation) const;
    // The conversation followed by the generation prompt: what generation continues.
    std::vector<TokenId> encodePrompt(const Conversation& conversation) const;
    // An assistant answer as it follows encodePrompt(), through the end-of-turn token.
    std::vector<TokenId> encodeAnswer(const std::string& answer) const;

    TokenId endOfTurn() const { return m_endOfTurn; }

    // The text apply_chat_template(tokenize=False) gives.
    std::string render(const Conversation& conversation, bool addGenerationPrompt) const;

private:
    // `conversation` as the template's variables; with `marked`, the added tokens in contents
    // are wrapped in markers that encodeRendered() reads as "this is text".
    jinja::Dict variables(const Conversation& conversation, bool addGenerationPrompt,
                          bool marked) const;
    std::string renderMarked(const Conversation& conversation, bool addGenerationPrompt) const;
    std::vector<TokenId> encodeRendered(std::string_view marked) const;
    // Where the assistant turn that starts at `start` of `marked` ends: just after the first
    // end-of-turn token the template wrote from there.
    size_t endOfTurnAfter(const std::string& marked, size_t start) const;
    // The number of tokens of marked[0, position), which must be a prefix of `ids`.
    size_t tokenBoundary(const std::string& marked, size_t position,
                         const std::vector<TokenId>& ids) const;
    TokenId findEndOfTurn() const;

    const Tokenizer& m_tokenizer;
    jinja::Template m_template;
    ChatSpecialTokens m_specialTokens;
    std::vector<std::string> m_controlTokens;  // longest first
    TokenId m_endOfTurn = 0;
    std::string m_endOfTurnText;
};

// The chat template of a model folder: chat_template.jinja, else tokenizer_config.json's
// "chat_template" (a string, or the entry named "default" of a list of named templates), as
// transformers loads them. Nullopt when the folder has neither; common::Error when a file is
// unreadable or malformed.
std::optional<std::string> readChatTemplate(const std::filesystem::path& modelFolder);

// The chat template a model folder's conversations go through: its own (readChatTemplate) with
// the bos and eos of its tokenizer_config.json, else kStrataChatTemplate. Errors name the folder.
ChatTemplate modelChatTemplate(const std::filesystem::path& modelFolder,
                               const Tokenizer& tokenizer);

}  // namespace strata::tokenizer
