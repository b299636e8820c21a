#include "widgets/heatmap.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace strata::widgets {

namespace {

constexpr int kMinCellWidth = 4;
constexpr int kLabelWidth = 70;
constexpr int kTitleHeight = 22;

}  // namespace

Heatmap::Heatmap(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(120);
    setMouseTracking(true);
}

void Heatmap::setTitle(const QString& title) {
    m_title = title;
    update();
}

void Heatmap::setGrid(const QStringList& rowLabels, const QList<QVector<double>>& rows,
                      const QStringList& columnLabels) {
    m_rowLabels = rowLabels;
    m_rows = rows;
    m_columnLabels = columnLabels;
    m_min = 0;  // shares and counts start at zero; a floor above it would exaggerate differences
    m_max = 0;
    for (const QVector<double>& row : m_rows)
        for (double value : row)
            if (std::isfinite(value)) m_max = std::max(m_max, value);
    if (m_max <= m_min) m_max = m_min + 1;
    update();
}

void Heatmap::clear() {
    setGrid({}, {}, {});
}

QString Heatmap::cellText(int row, int column) const {
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount()) return {};
    return QString("%1, %2: %3")
        .arg(m_rowLabels.value(row), m_columnLabels.value(column))
        .arg(m_rows[row][column], 0, 'g', 4);
}

int Heatmap::columnsWanted() const {
    return std::max(1, (width() - kLabelWidth) / kMinCellWidth);
}

// A dark-blue → teal → yellow ramp (close to viridis): brightness grows with the value, so
// it reads in both palettes and for colour-blind readers.
QColor Heatmap::colorAt(double fraction) {
    static const QColor stops[] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    // A value that is not a number (a run that logged NaN) draws as the bottom of the scale.
    double position =
        (std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0) * (std::size(stops) - 1);
    int index = std::min(int(position), int(std::size(stops)) - 2);
    double t = position - index;
    const QColor& a = stops[index];
    const QColor& b = stops[index + 1];
    return QColor::fromRgbF(float(a.redF() + t * (b.redF() - a.redF())),
                            float(a.greenF() + t * (b.greenF() - a.greenF())),
                            float(a.blueF() + t * (b.blueF() - a.blueF())));
}

QRect Heatmap::gridRect() const {
    return rect().adjusted(kLabelWidth, kTitleHeight, -4, -4);
}

void Heatmap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.drawText(rect().adjusted(4, 0, 0, 0), Qt::AlignTop | Qt::AlignLeft, m_title);
    const QRect grid = gridRect();
    if (rowCount() == 0 || columnCount() == 0 || grid.isEmpty()) {
        painter.drawText(grid, Qt::AlignCenter, tr("no data yet"));
        return;
    }
    const double cellWidth = double(grid.width()) / columnCount();
    const double cellHeight = double(grid.height()) / rowCount();
    // Rows thinner than a line of text label every few rows, not one over another.
    const int labelEvery = std::max(1, int(std::ceil(fontMetrics().height() / cellHeight)));
    for (int row = 0; row < rowCount(); ++row) {
        QRectF label(0, grid.top() + row * cellHeight, kLabelWidth - 4, cellHeight);
        if (row % labelEvery == 0)
            painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip,
                             m_rowLabels.value(row));
        for (int column = 0; column < columnCount(); ++column) {
            QRectF cell(grid.left() + column * cellWidth, grid.top() + row * cellHeight,
                        cellWidth + 0.5, cellHeight + 0.5);
            painter.fillRect(cell, colorAt((m_rows[row][column] - m_min) / (m_max - m_min)));
        }
    }
}

bool Heatmap::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const QRect grid = gridRect();
    if (rowCount() > 0 && columnCount() > 0 && grid.contains(help->pos())) {
        int column = (help->pos().x() - grid.left()) * columnCount() / grid.width();
        int row = (help->pos().y() - grid.top()) * rowCount() / grid.height();
        QToolTip::showText(help->globalPos(), cellText(row, column), this);
    } else {
        QToolTip::hideText();
    }
    return true;
}

}  // namespace strata::widgets
