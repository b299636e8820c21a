#include "widgets/chart_palette.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QPalette>

namespace strata::widgets {

void applyChartPalette(QChart* chart, const QPalette& palette) {
    QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    chart->setBackgroundBrush(palette.base());
    chart->setBackgroundPen(Qt::NoPen);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(grid);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(
            grid.lighter(palette.base().color().lightness() < 128 ? 80 : 120));
    }
}

}  // namespace strata::widgets
