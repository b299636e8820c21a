// The translations are complete and current: every string the studio shows has a zh_CN
// translation that keeps the source's placeholders (%1, %n) and its keyboard accelerator, the
// .ts file holds every tr() string of the sources (lupdate finds nothing new), and with zh_CN
// installed the window speaks Chinese.
#include "ui/common/language.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QFile>
#include <QListWidget>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

const QString kTs = QStringLiteral(STRATA_SOURCE_DIR "/translations/strata_zh_CN.ts");

QStringList placeholders(const QString& text) {
    static const QRegularExpression placeholder("%(\\d+|n)");
    QStringList found;
    for (const QRegularExpressionMatch& match : placeholder.globalMatch(text))
        found << match.captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void chineseIsComplete() {
        QFile file(kTs);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString source, translation;
        bool unfinished = false;
        int numMessages = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"source") source = xml.readElementText();
            if (xml.isStartElement() && xml.name() == u"translation") {
                unfinished = xml.attributes().value("type") == u"unfinished";
                translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            }
            if (!xml.isEndElement() || xml.name() != u"message") continue;
            ++numMessages;
            QVERIFY2(!unfinished && !translation.trimmed().isEmpty(),
                     qPrintable("untranslated: " + source));
            QCOMPARE(placeholders(translation), placeholders(source));
            static const QRegularExpression accelerator("&[^&\\s]");
            QCOMPARE(translation.contains(accelerator), source.contains(accelerator));
        }
        QVERIFY(!xml.hasError());
        QVERIFY(numMessages > 100);
    }

    void theTsFileIsCurrent() {
        QTemporaryDir dir;
        QString copy = dir.filePath("strata_zh_CN.ts");
        QVERIFY(QFile::copy(kTs, copy));
        QProcess lupdate;
        lupdate.setWorkingDirectory(STRATA_SOURCE_DIR);
        QString program =
            QFile::exists("/usr/lib/qt6/bin/lupdate") ? "/usr/lib/qt6/bin/lupdate" : "lupdate";
        lupdate.start(program, {"-I", ".", "ui", "widgets", "app/studio", "-ts", copy,
                                "-no-obsolete", "-locations", "relative"});
        QVERIFY(lupdate.waitForFinished(60000));
        QString output =
            QString::fromUtf8(lupdate.readAllStandardOutput() + lupdate.readAllStandardError());
        QVERIFY2(output.contains("(0 new and"),
                 qPrintable("run scripts/update-translations and translate: " + output));
    }

    void theWindowSpeaksChinese() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(strata::ui::installLanguage(*QCoreApplication::instance(), "zh_CN"));
        QTemporaryDir workspace;
        strata::ui::MainWindow window(STRATA_CLI);
        QVERIFY(window.openWorkspace(workspace.path().toStdString()));
        auto* pages = window.findChild<QListWidget*>("pageList");
        QCOMPARE(pages->item(0)->text(), QString::fromUtf8("首页"));
        QCOMPARE(pages->item(1)->text(), QString::fromUtf8("数据"));
        QCOMPARE(pages->item(4)->text(), QString::fromUtf8("训练"));
        QVERIFY(!strata::ui::installLanguage(*QCoreApplication::instance(), "xx"));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
