// How many items are left after each step of a pipeline, as horizontal bars from the first step
// at the top to the last at the bottom; hovering a bar shows what its step removed. The Data
// page shows the cleaning funnel with it.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QChartView;

namespace strata::widgets {

struct FunnelStep {
    QString label;
    qint64 remaining = 0;
    QString detail;  // the hover text
};

class FunnelChart : public QWidget {
    Q_OBJECT

public:
    explicit FunnelChart(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setSteps(const QList<FunnelStep>& steps);
    const QList<FunnelStep>& steps() const { return m_steps; }

protected:
    void changeEvent(QEvent* event) override;

private:
    QChartView* m_view;
    QList<FunnelStep> m_steps;
};

}  // namespace strata::widgets
