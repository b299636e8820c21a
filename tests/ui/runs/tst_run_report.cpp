// The Runs page's HTML report of two runs on a real history: the runs, a chart per chosen metric
// as inline SVG, the config keys on which they differ, notes, comments and lineage, in one file
// that names nothing outside it. A real headless Chromium opens it: the DOM it builds holds the
// charts and the tables, and its screenshot shows the first run's line in its colour. A report
// that cannot be written says so in the page and leaves nothing behind.
#include "tests/ui/runs/history_fixture.h"
#include "ui/runs/runs_page.h"

#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

using namespace strata;

namespace {

// Chromium, headless, on a file: its stdout, or what went wrong.
QByteArray chromium(const QStringList& args, const QString& file) {
    QProcess browser;
    browser.start(QStandardPaths::findExecutable("chromium"),
                  QStringList{"--headless", "--no-sandbox", "--disable-gpu",
                              "--disable-dev-shm-usage", "--no-first-run"} +
                      args + QStringList{"file://" + file});
    if (!browser.waitForFinished(120000)) browser.kill();
    return browser.readAllStandardOutput();
}

}  // namespace

class TestRunReport : public QObject {
    Q_OBJECT

    QTemporaryDir m_out;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aReportOpensInABrowser() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 200, 5.0, "0.01", {"sweep"});
        int64_t b = fixture.addRun("beta", 150, 6.0, "0.02");
        fixture.history.setNotes(a, "Warmup <too> short & noisy");
        fixture.history.addComment(b, "rev", "Try a lower learning rate.");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({a, b});
        const QString path = m_out.filePath("report.html");
        QVERIFY(page.saveReport(path, {"loss", "lr"}));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(file.readAll());
        QCOMPARE(html.count("<svg"), 2);
        QCOMPARE(html.count("class=\"series\""), 4);
        QVERIFY(
            html.contains("<code>optim.lr</code></td><td><code>0.01</code></td><td><code>0.02"));
        QVERIFY(!html.contains("model.d_model"));  // the same in both: not listed
        QVERIFY(html.contains("Warmup &lt;too&gt; short &amp; noisy"));
        QVERIFY(html.contains("Try a lower learning rate."));
        QVERIFY(html.contains("Tags: sweep"));
        // Self-contained: no script, and no source or link to anything outside the file.
        QVERIFY(!html.contains("<script"));
        QVERIFY(!html.contains(QRegularExpression("(src|href)=")));

        const QString dom = QString::fromUtf8(chromium({"--dump-dom"}, path));
        QVERIFY2(dom.contains("<polyline class=\"series\" data-run=\"alpha\""),
                 qPrintable(dom.left(500)));
        QVERIFY(dom.contains("Try a lower learning rate."));
        QVERIFY(dom.contains("id=\"lineage\""));

        const QString shot = m_out.filePath("report.png");
        chromium({"--screenshot=" + shot, "--window-size=900,900", "--hide-scrollbars"}, path);
        QImage image(shot);
        QVERIFY2(!image.isNull(), "chromium wrote no screenshot");
        int alphaPixels = 0;  // the first series' colour, #0072B2
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor pixel = image.pixelColor(x, y);
                alphaPixels += std::abs(pixel.red() - 0x00) < 40 &&
                               std::abs(pixel.green() - 0x72) < 40 &&
                               std::abs(pixel.blue() - 0xB2) < 40;
            }
        QVERIFY2(alphaPixels > 100, qPrintable(QString::number(alphaPixels)));
    }

    void aReportThatCannotBeWrittenSaysSo() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 10, 5.0, "0.01");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({a});
        QVERIFY(!page.saveReport(m_out.filePath("missing/report.html"), {"loss"}));
        QVERIFY2(page.message().contains("missing/report.html"), qPrintable(page.message()));
        QVERIFY(!QFile::exists(m_out.filePath("missing/report.html")));
    }
};

QTEST_MAIN(TestRunReport)
#include "tst_run_report.moc"
