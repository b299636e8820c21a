#include "widgets/metric_chart.h"

#include "widgets/chart_palette.h"
#include "widgets/series_smoothing.h"

#include <QAction>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QFileDialog>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QPixmap>
#include <QSaveFile>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace strata::widgets {

MetricChart::MetricChart(QWidget* parent)
    : QWidget(parent),
      m_chart(new QChart),
      m_view(new QChartView(m_chart)),
      m_xAxis(new QValueAxis) {
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_xAxis->setLabelFormat("%.0f");
    replaceYAxis();
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRubberBand(QChartView::RectangleRubberBand);
    // Right-click is the menu, not Qt Charts' zoom-out.
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto addAction = [this](const QString& text, auto slot) {
        auto* action = new QAction(text, m_view);
        connect(action, &QAction::triggered, this, slot);
        m_view->addAction(action);
    };
    addAction(tr("Reset zoom"), [this] { resetZoom(); });
    addAction(tr("Export PNG…"), [this] {
        QString file = QFileDialog::getSaveFileName(this, tr("Export the chart"), QString(),
                                                    tr("PNG images (*.png)"));
        if (!file.isEmpty()) exportPng(file);
    });
    addAction(tr("Export CSV…"), [this] {
        QString file = QFileDialog::getSaveFileName(this, tr("Export the chart's points"),
                                                    QString(), tr("CSV files (*.csv)"));
        if (!file.isEmpty()) exportCsv(file);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void MetricChart::setTitle(const QString& title) {
    m_chart->setTitle(title);
}

void MetricChart::setAxisTitles(const QString& x, const QString& y) {
    m_xAxis->setTitleText(x);
    m_yAxis->setTitleText(y);
}

void MetricChart::setSeries(const QString& name, const QList<QPointF>& points) {
    addLine(name, points);
    redrawAll();
}

void MetricChart::setAllSeries(const QList<std::pair<QString, QList<QPointF>>>& series) {
    QStringList kept;
    for (const auto& [name, points] : series) {
        addLine(name, points);
        kept << name;
    }
    for (const QString& name : m_lines.keys())
        if (!kept.contains(name)) dropLine(name);
    redrawAll();
}

void MetricChart::addLine(const QString& name, const QList<QPointF>& points) {
    m_raw[name] = points;
    if (!m_lines.contains(name)) {
        auto* line = new QLineSeries;
        line->setName(name);
        m_chart->addSeries(line);
        // A cosmetic pen is drawn by Qt's fast line rasterizer; a wide geometric one is stroked
        // with a join at every vertex, which costs most of a redraw at thousands of points. The
        // pen is read back after addSeries, which gives each line the theme's next colour.
        QPen pen = line->pen();
        pen.setCosmetic(true);
        pen.setWidthF(1.5);
        line->setPen(pen);
        line->attachAxis(m_xAxis);
        line->attachAxis(m_yAxis);
        connect(line, &QLineSeries::hovered, this, [this, name](const QPointF& point, bool over) {
            if (over)
                QToolTip::showText(QCursor::pos(), valueText(name, point.x()), m_view);
            else
                QToolTip::hideText();
        });
        m_lines[name] = line;
    }
}

void MetricChart::setBand(const QString& name, const QList<QPointF>& lower,
                          const QList<QPointF>& upper) {
    Band& band = m_bands[name];
    if (lower.isEmpty() || upper.isEmpty() || !m_lines.contains(name)) {
        if (band.area) m_chart->removeSeries(band.area);
        delete band.area;
        m_bands.remove(name);
        redrawAll();
        return;
    }
    band.lower = lower;
    band.upper = upper;
    if (!band.area) {
        auto* top = new QLineSeries;
        auto* bottom = new QLineSeries;
        band.area = new QAreaSeries(top, bottom);
        top->setParent(band.area);  // whether or not the area deletes them, they go with it
        bottom->setParent(band.area);
        m_chart->addSeries(band.area);
        band.area->attachAxis(m_xAxis);
        band.area->attachAxis(m_yAxis);
        QColor fill = m_lines[name]->pen().color();
        fill.setAlpha(48);
        band.area->setBrush(fill);
        band.area->setPen(Qt::NoPen);
        // The legend names the lines; a band is read with its line.
        for (QLegendMarker* marker : m_chart->legend()->markers(band.area))
            marker->setVisible(false);
    }
    redrawAll();
}

std::pair<QList<QPointF>, QList<QPointF>> MetricChart::shownBand(const QString& name) const {
    const Band band = m_bands.value(name);
    if (!band.area) return {};
    return {band.area->lowerSeries()->points(), band.area->upperSeries()->points()};
}

void MetricChart::removeSeries(const QString& name) {
    dropLine(name);
    redrawAll();
}

void MetricChart::dropLine(const QString& name) {
    if (Band band = m_bands.take(name); band.area) {
        m_chart->removeSeries(band.area);
        delete band.area;
    }
    if (QLineSeries* line = m_lines.take(name)) {
        m_chart->removeSeries(line);
        delete line;
    }
    m_raw.remove(name);
}

void MetricChart::clearSeries() {
    setAllSeries({});
}

QStringList MetricChart::seriesNames() const {
    return m_lines.keys();
}

QList<QPointF> MetricChart::shownPoints(const QString& name) const {
    QLineSeries* line = m_lines.value(name);
    return line ? line->points() : QList<QPointF>{};
}

void MetricChart::setLogScale(bool on) {
    if (on == m_logScale) return;
    m_logScale = on;
    replaceYAxis();
    redrawAll();
}

void MetricChart::setSmoothing(double weight) {
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    redrawAll();
}

int MetricChart::plotWidth() const {
    int width = int(m_chart->plotArea().width());
    width = width > 0 ? width : std::max(100, m_view->width() - 80);
    return std::max(50, width / 2);
}

bool MetricChart::exportPng(const QString& path) {
    return m_view->grab().save(path, "PNG");
}

bool MetricChart::exportCsv(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return false;
    QTextStream out(&file);
    out << "series,x,y\n";
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        QString name = it.key();
        if (name.contains(',') || name.contains('"'))
            name = '"' + QString(name).replace("\"", "\"\"") + '"';
        for (const QPointF& point : it.value()->points())
            out << name << ',' << QString::number(point.x(), 'g', 17) << ','
                << QString::number(point.y(), 'g', 17) << '\n';
    }
    out.flush();
    return file.commit();
}

QString MetricChart::valueText(const QString& name, double x) const {
    QLineSeries* line = m_lines.value(name);
    if (!line || line->count() == 0) return {};
    const QList<QPointF> points = line->points();
    auto after = std::lower_bound(points.begin(), points.end(), x,
                                  [](const QPointF& point, double at) { return point.x() < at; });
    if (after == points.end() || (after != points.begin() && x - (after - 1)->x() < after->x() - x))
        --after;
    return tr("%1: %2 at %3").arg(name).arg(after->y(), 0, 'g', 5).arg(after->x(), 0, 'g', 8);
}

void MetricChart::resetZoom() {
    m_chart->zoomReset();
    redrawAll();
}

// Each line's geometry (which Qt Charts strokes point by point) is computed once per redraw:
// the old points go first, so moving the axes costs nothing, then each line gets its new
// points in one replace() against the final axes.
void MetricChart::redrawAll() {
    QMap<QString, QList<QPointF>> shown;
    for (auto it = m_raw.begin(); it != m_raw.end(); ++it) {
        QList<QPointF> points = smoothedSeries(it.value(), m_smoothing);
        if (m_logScale) points.removeIf([](const QPointF& point) { return point.y() <= 0; });
        shown[it.key()] = points;
    }
    // A band is smoothed and filtered as its line is, and counts in the axes' range.
    QMap<QString, std::pair<QList<QPointF>, QList<QPointF>>> bands;
    QMap<QString, QList<QPointF>> fitted = shown;
    for (auto it = m_bands.begin(); it != m_bands.end(); ++it) {
        auto shape = [this](const QList<QPointF>& raw) {
            QList<QPointF> points = smoothedSeries(raw, m_smoothing);
            if (m_logScale) points.removeIf([](const QPointF& point) { return point.y() <= 0; });
            return points;
        };
        bands[it.key()] = {shape(it->lower), shape(it->upper)};
        fitted[it.key() + "\n lower"] = bands[it.key()].first;
        fitted[it.key() + "\n upper"] = bands[it.key()].second;
    }
    for (QLineSeries* line : m_lines)
        line->clear();
    fitAxes(fitted);
    for (auto it = shown.begin(); it != shown.end(); ++it)
        m_lines[it.key()]->replace(it.value());
    for (auto it = bands.begin(); it != bands.end(); ++it) {
        QAreaSeries* area = m_bands[it.key()].area;
        area->lowerSeries()->replace(it->first);
        area->upperSeries()->replace(it->second);
    }
}

void MetricChart::replaceYAxis() {
    QString title = m_yAxis ? m_yAxis->titleText() : QString();
    if (m_yAxis) {
        for (QLineSeries* line : m_lines)
            line->detachAxis(m_yAxis);
        for (const Band& band : m_bands)
            band.area->detachAxis(m_yAxis);
        m_chart->removeAxis(m_yAxis);
        delete m_yAxis;
    }
    if (m_logScale) {
        auto* axis = new QLogValueAxis;
        axis->setLabelFormat("%g");
        m_yAxis = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setLabelFormat("%g");
        m_yAxis = axis;
    }
    m_yAxis->setTitleText(title);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    for (QLineSeries* line : m_lines)
        line->attachAxis(m_yAxis);
    for (const Band& band : m_bands)
        band.area->attachAxis(m_yAxis);
    applyChartPalette(m_chart, palette());
}

void MetricChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) applyChartPalette(m_chart, palette());
}

void MetricChart::fitAxes(const QMap<QString, QList<QPointF>>& shown) {
    if (m_chart->isZoomed()) return;  // the user's view stays while new points arrive
    double minX = std::numeric_limits<double>::max(), maxX = std::numeric_limits<double>::lowest();
    double minY = minX, maxY = maxX;
    for (const QList<QPointF>& points : shown)
        for (const QPointF& point : points) {
            minX = std::min(minX, point.x());
            maxX = std::max(maxX, point.x());
            minY = std::min(minY, point.y());
            maxY = std::max(maxY, point.y());
        }
    if (minX > maxX) return;
    if (maxX == minX) maxX = minX + 1;
    if (maxY == minY) maxY = minY + (m_logScale ? minY : 1);
    m_xAxis->setRange(minX, maxX);
    // Ticks at round steps (1, 2 or 5 times a power of ten) inside the exact data range.
    const double rough = (maxX - minX) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    const double mantissa = rough / magnitude;
    m_xAxis->setTickType(QValueAxis::TicksDynamic);
    m_xAxis->setTickAnchor(0);
    m_xAxis->setTickInterval(magnitude * (mantissa < 1.5   ? 1
                                          : mantissa < 3.5 ? 2
                                          : mantissa < 7.5 ? 5
                                                           : 10));
    if (m_logScale) {
        m_yAxis->setRange(minY, maxY);
    } else {
        auto* axis = static_cast<QValueAxis*>(m_yAxis);
        axis->setRange(minY, maxY);
        axis->applyNiceNumbers();  // round ticks, a little room above and below
    }
}

}  // namespace strata::widgets
