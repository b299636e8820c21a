// Text shown as the tokens a tokenizer cut it into: each token a colored span, its id (or a note)
// shown on hover. Colours alternate, so neighbours stand apart, unless the pieces carry a heat:
// then each is shaded by it, from pale (0) to red (1), as the rollout inspector shows per-token
// KL. Tokens that are not whole UTF-8 (a byte-level tokenizer splits rare characters) show their
// bytes in hex. Knows nothing of tokenizers: it is given the pieces.
#pragma once

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QTextBrowser>

namespace strata::widgets {

struct TokenPiece {
    QByteArray bytes;
    int id = 0;
    double heat = -1;  // in [0, 1]: the shade; negative: the alternating colours
    QString note;      // the hover text; empty: the token id
};

// The piece as it is shown: its text when it is valid UTF-8, else "‹E7 BB›".
QString tokenLabel(const QByteArray& bytes);

class TokenView : public QTextBrowser {
    Q_OBJECT

public:
    explicit TokenView(QWidget* parent = nullptr);
    void setTokens(const QList<TokenPiece>& tokens);
    int tokenCount() const { return int(m_tokens.size()); }
    // The background a token of `heat` gets.
    static QColor heatColor(double heat);

private:
    QList<TokenPiece> m_tokens;
};

}  // namespace strata::widgets
