#include "ui/runs/run_report.h"

#include "core/common/atomic_file.h"
#include "core/store/config_diff.h"
#include "core/store/run_lineage.h"
#include "ui/charts/step_axis.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace strata::ui {

namespace {

// Points per series in a chart: about one per two pixels of its width.
constexpr int kChartPoints = 360;
constexpr double kWidth = 720, kHeight = 300, kLeft = 64, kRight = 16, kTop = 12, kBottom = 36;
// Colours apart for the eye and for colour-blind readers (Okabe and Ito's), in series order.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#F0E442", "#000000"};

QString escaped(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

QString number(double value) {
    return QString::number(value, 'g', 5);
}

QString colourOf(int index) {
    return kColours[index % int(std::size(kColours))];
}

// One metric of every run as an SVG line chart with its axes and a legend under it.
QString chartSvg(const QString& metric, const QList<std::pair<QString, QList<QPointF>>>& series) {
    double minX = std::numeric_limits<double>::max(), maxX = std::numeric_limits<double>::lowest();
    double minY = minX, maxY = maxX;
    for (const auto& [name, points] : series)
        for (const QPointF& point : points)
            if (std::isfinite(point.y())) {
                minX = std::min(minX, point.x());
                maxX = std::max(maxX, point.x());
                minY = std::min(minY, point.y());
                maxY = std::max(maxY, point.y());
            }
    QString svg;
    if (minX > maxX)
        return "<p class=\"empty\">" + QObject::tr("No run has points of %1.").arg(metric) + "</p>";
    if (maxX == minX) maxX = minX + 1;
    if (maxY == minY) maxY = minY + 1;
    const double plotWidth = kWidth - kLeft - kRight, plotHeight = kHeight - kTop - kBottom;
    auto x = [&](double value) { return kLeft + (value - minX) / (maxX - minX) * plotWidth; };
    auto y = [&](double value) { return kTop + (maxY - value) / (maxY - minY) * plotHeight; };
    svg += QString(
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %1 %2\" role=\"img\" "
               "aria-label=\"%3\">")
               .arg(kWidth)
               .arg(kHeight)
               .arg(metric.toHtmlEscaped());
    svg += QString("<rect class=\"plot\" x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\"/>")
               .arg(kLeft)
               .arg(kTop)
               .arg(plotWidth)
               .arg(plotHeight);
    for (int tick = 0; tick <= 4; ++tick) {
        const double valueY = minY + (maxY - minY) * tick / 4;
        const double valueX = minX + (maxX - minX) * tick / 4;
        svg += QString(
                   "<line class=\"grid\" x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\"/>"
                   "<text class=\"tick\" x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>")
                   .arg(kLeft)
                   .arg(kWidth - kRight)
                   .arg(y(valueY))
                   .arg(kLeft - 6)
                   .arg(y(valueY) + 4)
                   .arg(number(valueY));
        svg += QString("<text class=\"tick\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
                   .arg(x(valueX))
                   .arg(kHeight - kBottom + 16)
                   .arg(number(valueX));
    }
    svg += QString("<text class=\"axis\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
               .arg(kLeft + plotWidth / 2)
               .arg(kHeight - 4)
               .arg(xAxisTitle(XAxis::Step).toHtmlEscaped());
    for (int index = 0; index < int(series.size()); ++index) {
        QStringList coordinates;
        for (const QPointF& point : series[index].second)
            if (std::isfinite(point.y()))
                coordinates << QString::number(x(point.x()), 'f', 1) + "," +
                                   QString::number(y(point.y()), 'f', 1);
        svg +=
            QString("<polyline class=\"series\" data-run=\"%1\" stroke=\"%2\" points=\"%3\"/>")
                .arg(series[index].first.toHtmlEscaped(), colourOf(index), coordinates.join(' '));
    }
    svg += "</svg><p class=\"legend\">";
    for (int index = 0; index < int(series.size()); ++index)
        svg += QString("<span style=\"color:%1\">━</span> %2 ")
                   .arg(colourOf(index), series[index].first.toHtmlEscaped());
    return svg + "</p>";
}

QString lineageHtml(const store::LineageItem& item) {
    QString html = "<li><b>" + QString(store::lineageKindName(item.kind)).toHtmlEscaped() +
                   "</b> " + escaped(item.label);
    if (!item.detail.empty()) html += " <span class=\"detail\">" + escaped(item.detail) + "</span>";
    if (!item.inputs.empty()) {
        html += "<ul>";
        for (const store::LineageItem& input : item.inputs)
            html += lineageHtml(input);
        html += "</ul>";
    }
    return html + "</li>";
}

QString when(double seconds) {
    return seconds > 0 ? QDateTime::fromSecsSinceEpoch(qint64(seconds)).toString("yyyy-MM-dd HH:mm")
                       : QString("–");
}

constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
th { background: #f4f4f4; } code, pre { font: 13px ui-monospace, monospace; }
pre { background: #f8f8f8; padding: .6em; white-space: pre-wrap; }
svg { width: 100%; max-width: 720px; } .plot { fill: #fff; stroke: #999; }
.grid { stroke: #eee; } .tick, .axis { font-size: 11px; fill: #555; }
.series { fill: none; stroke-width: 1.5; } .legend span { font-weight: bold; }
.detail, .meta { color: #666; } .differs { background: #fff6d5; }
)css";

}  // namespace

QString runReportHtml(store::RunCatalog& catalog, const QList<int64_t>& runIds,
                      const QStringList& metrics) {
    // Oldest first, whatever order they were selected in.
    QList<int64_t> ordered = runIds;
    std::sort(ordered.begin(), ordered.end());
    std::vector<store::RunRecord> runs;
    for (int64_t runId : ordered)
        runs.push_back(catalog.run(runId));
    QStringList names;
    for (const store::RunRecord& run : runs)
        names << QString::fromStdString(run.shownName());

    QString html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" +
                   QObject::tr("Run report: %1").arg(names.join(", ")).toHtmlEscaped() +
                   "</title><style>" + kStyle + "</style></head><body>";
    html += "<h1>" + QObject::tr("Run report") + "</h1><p class=\"meta\">" +
            QObject::tr("%n run(s), written %1 by Strata %2", "", int(runs.size()))
                .arg(QDateTime::currentDateTime().toString("yyyy-MM-dd HH:mm"), STRATA_VERSION)
                .toHtmlEscaped() +
            "</p>";

    html += "<h2 id=\"runs\">" + QObject::tr("Runs") + "</h2><table><tr><th>" + QObject::tr("Run") +
            "</th><th>" + QObject::tr("Stage") + "</th><th>" + QObject::tr("State") + "</th><th>" +
            QObject::tr("Host") + "</th><th>" + QObject::tr("Last step") + "</th><th>" +
            QObject::tr("Last loss") + "</th><th>" + QObject::tr("Started") + "</th></tr>";
    for (const store::RunRecord& run : runs)
        html += "<tr><td>" + escaped(run.shownName()) + "</td><td>" + escaped(run.stage) +
                "</td><td>" + store::runStateName(run.state) + "</td><td>" + escaped(run.host) +
                "</td><td>" + QString::number(run.lastStep) + "</td><td>" +
                (std::isnan(run.lastLoss) ? QString("–") : number(run.lastLoss)) + "</td><td>" +
                when(run.startedAt) + "</td></tr>";
    html += "</table>";

    html += "<h2 id=\"charts\">" + QObject::tr("Charts") + "</h2>";
    for (const QString& metric : metrics) {
        QList<std::pair<QString, QList<QPointF>>> series;
        for (size_t i = 0; i < runs.size(); ++i)
            series.append({names[int(i)], runSeriesPoints(catalog, runs[i].id, metric.toStdString(),
                                                          XAxis::Step, kChartPoints)});
        html += "<figure><figcaption><b>" + metric.toHtmlEscaped() + "</b></figcaption>" +
                chartSvg(metric, series) + "</figure>";
    }

    html += "<h2 id=\"config\">" + QObject::tr("Config") + "</h2>";
    std::vector<std::map<std::string, std::string>> configs;
    std::set<std::string> keys;
    for (const store::RunRecord& run : runs) {
        configs.push_back(store::flattenToml(run.configText, run.name));
        for (const auto& [key, value] : configs.back())
            keys.insert(key);
    }
    html += "<table><tr><th>" + QObject::tr("Key") + "</th>";
    for (const QString& name : names)
        html += "<th>" + name.toHtmlEscaped() + "</th>";
    html += "</tr>";
    int shownKeys = 0;
    for (const std::string& key : keys) {
        QStringList values;
        for (const auto& config : configs) {
            auto value = config.find(key);
            values << (value == config.end() ? QObject::tr("(absent)")
                                             : QString::fromStdString(value->second));
        }
        if (runs.size() > 1 && values.count(values.front()) == values.size()) continue;
        ++shownKeys;
        html += "<tr class=\"differs\"><td><code>" + escaped(key) + "</code></td>";
        for (const QString& value : values)
            html += "<td><code>" + value.toHtmlEscaped() + "</code></td>";
        html += "</tr>";
    }
    html += "</table>";
    if (shownKeys == 0) html += "<p>" + QObject::tr("The configs are the same.") + "</p>";

    html += "<h2 id=\"notes\">" + QObject::tr("Notes and comments") + "</h2>";
    for (const store::RunRecord& run : runs) {
        html += "<h3>" + escaped(run.shownName()) + "</h3>";
        if (!run.tags.empty()) {
            QStringList tags;
            for (const std::string& tag : run.tags)
                tags << QString::fromStdString(tag);
            html += "<p>" + QObject::tr("Tags: %1").arg(tags.join(", ")).toHtmlEscaped() + "</p>";
        }
        if (!run.notes.empty()) html += "<pre>" + escaped(run.notes) + "</pre>";
        for (const store::RunComment& comment : catalog.comments(run.id))
            html += "<p><b>" + escaped(comment.author) + "</b> <span class=\"meta\">" +
                    when(comment.createdAt) + "</span><br>" + escaped(comment.body) + "</p>";
    }

    html += "<h2 id=\"lineage\">" + QObject::tr("Lineage") + "</h2><ul>";
    for (const store::RunRecord& run : runs)
        html += lineageHtml(catalog.lineage(run.id));
    return html + "</ul></body></html>\n";
}

void saveRunReport(store::RunCatalog& catalog, const QList<int64_t>& runIds,
                   const QStringList& metrics, const QString& path) {
    const QByteArray html = runReportHtml(catalog, runIds, metrics).toUtf8();
    common::AtomicFile file(path.toStdString());
    file.write(std::string_view(html.constData(), size_t(html.size())));
    file.commit();
}

}  // namespace strata::ui
