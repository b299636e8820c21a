#include "ui/data/funnel_steps.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace strata::ui {

QList<widgets::FunnelStep> funnelSteps(const QJsonObject& report) {
    QList<widgets::FunnelStep> steps;
    qint64 remaining = report["input"]["documents"].toInteger();
    const QJsonObject skipped = report["reader_skipped"].toObject();
    QStringList skippedDetail;
    for (auto it = skipped.begin(); it != skipped.end(); ++it)
        if (it.value().toInteger() > 0)
            skippedDetail << QString("%1: %2").arg(it.key()).arg(it.value().toInteger());
    steps.append({QCoreApplication::translate("DataPage", "read"), remaining,
                  skippedDetail.isEmpty()
                      ? QString()
                      : QCoreApplication::translate("DataPage", "skipped by the reader") + "\n" +
                            skippedDetail.join('\n')});
    for (const QJsonValue& removal : report["removed"].toArray()) {
        const QString stage = removal["stage"].toString();
        const qint64 documents = removal["documents"].toInteger();
        if (steps.size() == 1 || steps.back().label != stage) steps.append({stage, remaining, {}});
        remaining -= documents;
        steps.back().remaining = remaining;
        if (documents > 0)
            steps.back().detail += (steps.back().detail.isEmpty() ? "" : "\n") +
                                   QCoreApplication::translate("DataPage", "%1: %2 removed")
                                       .arg(removal["reason"].toString())
                                       .arg(documents);
    }
    steps.append({QCoreApplication::translate("DataPage", "written"),
                  report["output"]["documents"].toInteger(),
                  {}});
    return steps;
}

}  // namespace strata::ui
