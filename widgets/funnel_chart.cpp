#include "widgets/funnel_chart.h"

#include "widgets/chart_palette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

namespace strata::widgets {

FunnelChart::FunnelChart(QWidget* parent) : QWidget(parent), m_view(new QChartView) {
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->chart()->legend()->hide();
    applyChartPalette(m_view->chart(), palette());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void FunnelChart::setTitle(const QString& title) {
    m_view->chart()->setTitle(title);
}

void FunnelChart::setSteps(const QList<FunnelStep>& steps) {
    m_steps = steps;
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
    if (steps.isEmpty()) return;

    // Categories run bottom-up on a vertical axis: the first step goes last to end up on top.
    auto* bars = new QBarSet(QString());
    QStringList labels;
    qint64 largest = 1;
    for (auto step = steps.crbegin(); step != steps.crend(); ++step) {
        *bars << double(step->remaining);
        labels << step->label;
        largest = std::max(largest, step->remaining);
    }
    auto* series = new QHorizontalBarSeries;
    series->append(bars);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
    series->setLabelsFormat("@value");
    chart->addSeries(series);
    auto* categories = new QBarCategoryAxis;
    categories->append(labels);
    auto* counts = new QValueAxis;
    counts->setRange(0, double(largest));
    counts->setLabelFormat("%.0f");
    chart->addAxis(categories, Qt::AlignLeft);
    chart->addAxis(counts, Qt::AlignBottom);
    series->attachAxis(categories);
    series->attachAxis(counts);
    applyChartPalette(chart, palette());
    connect(bars, &QBarSet::hovered, this, [this](bool entered, int index) {
        int step = int(m_steps.size()) - 1 - index;
        if (entered && step >= 0 && step < m_steps.size() && !m_steps[step].detail.isEmpty())
            QToolTip::showText(QCursor::pos(), m_steps[step].detail, this);
        else
            QToolTip::hideText();
    });
}

void FunnelChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) applyChartPalette(m_view->chart(), palette());
}

}  // namespace strata::widgets
