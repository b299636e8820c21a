#include "widgets/token_view.h"

#include <QCursor>
#include <QStringDecoder>
#include <QToolTip>
#include <QUrl>

namespace strata::widgets {

namespace {

// Pastel backgrounds readable with dark text in light and dark palettes alike.
constexpr const char* kColors[] = {"#ffd6a5", "#caffbf", "#9bf6ff",
                                   "#bdb2ff", "#ffc6ff", "#fdffb6"};

}  // namespace

QString tokenLabel(const QByteArray& bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError()) return text;
    QStringList hex;
    for (char byte : bytes)
        hex << QString("%1").arg(uchar(byte), 2, 16, QChar('0')).toUpper();
    return "‹" + hex.join(' ') + "›";
}

TokenView::TokenView(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    // Rich text has no per-span tooltips; each token is a link "token:ID" and hovering one shows
    // its id.
    connect(this, qOverload<const QUrl&>(&QTextBrowser::highlighted), this,
            [this](const QUrl& url) {
                if (url.scheme() == "token")
                    QToolTip::showText(QCursor::pos(), tr("token id %1").arg(url.path()), this);
            });
}

void TokenView::setTokens(const QList<TokenPiece>& tokens) {
    QString html = "<div style=\"line-height: 170%; white-space: pre-wrap;\">";
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        QString label = tokenLabel(tokens[i].bytes).toHtmlEscaped();
        // Spaces and line breaks stay visible inside a token's box.
        label.replace(' ', "·").replace('\n', "↵<br>");
        html += QString(
                    "<a href=\"token:%1\" style=\"background-color: %2; color: #202020; "
                    "text-decoration: none;\">%3</a>")
                    .arg(tokens[i].id)
                    .arg(kColors[i % std::size(kColors)])
                    .arg(label);
    }
    setHtml(html + "</div>");
    m_count = int(tokens.size());
}

}  // namespace strata::widgets
