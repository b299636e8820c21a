#include "widgets/word_diff.h"

#include <QRegularExpression>

#include <vector>

namespace strata::widgets {

namespace {

// Beyond this many cells the comparison table costs more than a pair view is worth.
constexpr qsizetype kMaxCells = 4'000'000;

QStringList pieces(const QString& text) {
    static const QRegularExpression piece(R"(\s+|[^\s]+)");
    QStringList out;
    for (const QRegularExpressionMatch& match : piece.globalMatch(text))
        out << match.captured();
    return out;
}

QList<DiffSegment> unmarked(const QString& text) {
    return text.isEmpty() ? QList<DiffSegment>{} : QList<DiffSegment>{{text, false}};
}

void append(QList<DiffSegment>& segments, const QString& text, bool changed) {
    if (!segments.isEmpty() && segments.back().changed == changed)
        segments.back().text += text;
    else
        segments.append({text, changed});
}

}  // namespace

WordDiff diffWords(const QString& left, const QString& right) {
    QStringList a = pieces(left), b = pieces(right);
    const qsizetype n = a.size(), m = b.size();
    if ((n + 1) * (m + 1) > kMaxCells) return {unmarked(left), unmarked(right)};
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    std::vector<int> common(size_t((n + 1) * (m + 1)), 0);
    auto at = [&](qsizetype i, qsizetype j) -> int& { return common[size_t(i * (m + 1) + j)]; };
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    WordDiff diff;
    qsizetype i = 0, j = 0;
    while (i < n && j < m) {
        if (a[i] == b[j]) {
            append(diff.left, a[i++], false);
            append(diff.right, b[j++], false);
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            append(diff.left, a[i++], true);
        } else {
            append(diff.right, b[j++], true);
        }
    }
    for (; i < n; ++i)
        append(diff.left, a[i], true);
    for (; j < m; ++j)
        append(diff.right, b[j], true);
    return diff;
}

QString diffHtml(const QList<DiffSegment>& segments) {
    QString html;
    for (const DiffSegment& segment : segments) {
        QString text = segment.text.toHtmlEscaped().replace('\n', "<br>");
        // Whitespace-only changes get no highlight: they would be invisible anyway.
        html +=
            segment.changed && !segment.text.trimmed().isEmpty()
                ? "<span style=\"background-color: rgba(255, 200, 0, 110);\">" + text + "</span>"
                : text;
    }
    return "<div style=\"white-space: pre-wrap;\">" + html + "</div>";
}

}  // namespace strata::widgets
