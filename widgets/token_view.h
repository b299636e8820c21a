// Text shown as the tokens a tokenizer cut it into: each token a colored span (alternating
// colors, so neighbours stand apart), its id shown on hover. Tokens that are not whole UTF-8 (a
// byte-level tokenizer splits rare characters) show their bytes in hex. Knows nothing of
// tokenizers: it is given the pieces.
#pragma once

#include <QByteArray>
#include <QList>
#include <QTextBrowser>

namespace strata::widgets {

struct TokenPiece {
    QByteArray bytes;
    int id = 0;
};

// The piece as it is shown: its text when it is valid UTF-8, else "‹E7 BB›".
QString tokenLabel(const QByteArray& bytes);

class TokenView : public QTextBrowser {
    Q_OBJECT

public:
    explicit TokenView(QWidget* parent = nullptr);
    void setTokens(const QList<TokenPiece>& tokens);
    int tokenCount() const { return m_count; }

private:
    int m_count = 0;
};

}  // namespace strata::widgets
