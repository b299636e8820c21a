// A line chart of named series over one x axis: the live loss chart, the runs overlay. Callers
// hand it whole series already downsampled to plotWidth() pixels and replace them in one call
// (setSeries), never point by point; the chart applies the smoothing and the log scale the user
// picked. It knows nothing of training: names and points are all it gets. This is the only place
// outside widgets/ would otherwise need Qt Charts, so the chart library can change here alone.
// Drag a rectangle to zoom (new data then no longer moves the view), hover a line for its value,
// right-click to export PNG or CSV or to reset the zoom.
#pragma once

#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QLineSeries;
class QAbstractAxis;
class QValueAxis;

namespace strata::widgets {

class MetricChart : public QWidget {
    Q_OBJECT

public:
    explicit MetricChart(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setAxisTitles(const QString& x, const QString& y);
    // Replaces (or adds) the series `name`; points are in x order.
    void setSeries(const QString& name, const QList<QPointF>& points);
    // Replaces every series at once (those not listed go): one redraw for all of them.
    void setAllSeries(const QList<std::pair<QString, QList<QPointF>>>& series);
    void removeSeries(const QString& name);
    // Shades the range from `lower` to `upper` behind the series `name`, in its colour: a group
    // of runs' lowest and highest around their mean. It goes with the series; empty lists
    // remove it.
    void setBand(const QString& name, const QList<QPointF>& lower, const QList<QPointF>& upper);
    // The band of `name` as drawn, lower then upper; empty when it has none.
    std::pair<QList<QPointF>, QList<QPointF>> shownBand(const QString& name) const;
    void clearSeries();
    QStringList seriesNames() const;
    // The points the chart draws for `name`, after smoothing and the log scale's filtering.
    QList<QPointF> shownPoints(const QString& name) const;

    // A log-scale y axis drops the points at or below zero.
    void setLogScale(bool on);
    bool logScale() const { return m_logScale; }
    // EMA weight in [0, 1): 0 shows the raw series.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }

    // How many buckets a series needs: one per two pixels of the plot area's width. A bucket
    // draws as up to four points (first, lowest, highest, last), which keeps its envelope
    // exact to the pixel while Qt Charts strokes half as many points as one bucket a pixel.
    int plotWidth() const;
    // Writes the chart as PNG; false when the file cannot be written.
    bool exportPng(const QString& path);
    // Writes "series,x,y" rows of the points drawn (after smoothing); false when it cannot.
    bool exportCsv(const QString& path) const;
    // "name: y at x" for the drawn point of `name` nearest to `x`: what hovering shows.
    QString valueText(const QString& name, double x) const;
    // Back to the whole data range after zooming in.
    void resetZoom();

protected:
    void changeEvent(QEvent* event) override;

private:
    void addLine(const QString& name, const QList<QPointF>& points);
    void dropLine(const QString& name);
    void redrawAll();
    void replaceYAxis();
    void fitAxes(const QMap<QString, QList<QPointF>>& shown);

    QChart* m_chart;
    QChartView* m_view;
    QValueAxis* m_xAxis;
    QAbstractAxis* m_yAxis = nullptr;
    QMap<QString, QList<QPointF>> m_raw;
    QMap<QString, QLineSeries*> m_lines;
    struct Band {
        QList<QPointF> lower, upper;
        QAreaSeries* area = nullptr;
    };
    QMap<QString, Band> m_bands;
    bool m_logScale = false;
    double m_smoothing = 0;
};

}  // namespace strata::widgets
