// Where two responses differ, word by word, for the pair view: both texts are split into words and
// the runs of whitespace between them, the longest common subsequence of those pieces is kept,
// and every piece outside it is marked changed. Texts too long for the quadratic comparison come
// back unmarked rather than slowly.
#pragma once

#include <QList>
#include <QString>

namespace strata::widgets {

struct DiffSegment {
    QString text;
    bool changed = false;
};

struct WordDiff {
    QList<DiffSegment> left;
    QList<DiffSegment> right;
};

WordDiff diffWords(const QString& left, const QString& right);

// The segments as HTML: text escaped, changed segments highlighted, line breaks kept.
QString diffHtml(const QList<DiffSegment>& segments);

}  // namespace strata::widgets
