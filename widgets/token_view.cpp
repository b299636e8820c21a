#include "widgets/token_view.h"

#include "core/common/utf8.h"

#include <algorithm>

#include <QCursor>
#include <QToolTip>
#include <QUrl>

namespace strata::widgets {

namespace {

// Pastel backgrounds readable with dark text in light and dark palettes alike.
constexpr const char* kColors[] = {"#ffd6a5", "#caffbf", "#9bf6ff",
                                   "#bdb2ff", "#ffc6ff", "#fdffb6"};

}  // namespace

QString tokenLabel(const QByteArray& bytes) {
    return QString::fromStdString(
        common::tokenLabel(std::string_view(bytes.constData(), size_t(bytes.size()))));
}

TokenView::TokenView(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    // Rich text has no per-span tooltips; each token is a link "token:INDEX" and hovering one
    // shows its note or id.
    connect(
        this, qOverload<const QUrl&>(&QTextBrowser::highlighted), this, [this](const QUrl& url) {
            if (url.scheme() != "token") return;
            qsizetype index = url.path().toLongLong();
            if (index < 0 || index >= m_tokens.size()) return;
            const TokenPiece& token = m_tokens[index];
            QToolTip::showText(QCursor::pos(),
                               token.note.isEmpty() ? tr("token id %1").arg(token.id) : token.note,
                               this);
        });
}

QColor TokenView::heatColor(double heat) {
    // From a pale grey to a strong red; dark text stays readable on both ends.
    const QColor cool(0xf2, 0xf2, 0xf2), hot(0xff, 0x5a, 0x4e);
    const float t = float(std::clamp(heat, 0.0, 1.0));
    return QColor::fromRgbF(cool.redF() + t * (hot.redF() - cool.redF()),
                            cool.greenF() + t * (hot.greenF() - cool.greenF()),
                            cool.blueF() + t * (hot.blueF() - cool.blueF()));
}

void TokenView::setTokens(const QList<TokenPiece>& tokens) {
    m_tokens = tokens;
    QString html = "<div style=\"line-height: 170%; white-space: pre-wrap;\">";
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        QString label = tokenLabel(tokens[i].bytes).toHtmlEscaped();
        // Spaces and line breaks stay visible inside a token's box.
        label.replace(' ', "·").replace('\n', "↵<br>");
        QString color = tokens[i].heat >= 0 ? heatColor(tokens[i].heat).name()
                                            : QString(kColors[i % std::size(kColors)]);
        html += QString(
                    "<a href=\"token:%1\" style=\"background-color: %2; color: #202020; "
                    "text-decoration: none;\">%3</a>")
                    .arg(i)
                    .arg(color, label);
    }
    setHtml(html + "</div>");
}

}  // namespace strata::widgets
