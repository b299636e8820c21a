// The studio's icons: every one has its fallback SVG embedded, which draws where Qt's SVG plugin
// is installed, and the theme's icon is taken first.
#include "ui/common/icons.h"

#include <QFile>
#include <QImageReader>
#include <QtTest>

using namespace strata;

class TestIcons : public QObject {
    Q_OBJECT

private slots:
    void everyIconHasItsFallback() {
        for (int i = 0; i <= int(ui::StudioIcon::FineTune); ++i) {
            const QString name = ui::studioIconName(ui::StudioIcon(i));
            (void)ui::studioIcon(ui::StudioIcon(i));  // registers the resources
            QVERIFY2(QFile::exists(":/icons/" + name + ".svg"), qPrintable(name));
            // Where SVG can be drawn, the fallback draws (no theme in the tests).
            if (QImageReader::supportedImageFormats().contains("svg")) {
                QVERIFY2(!ui::studioIcon(ui::StudioIcon(i)).pixmap(16).isNull(), qPrintable(name));
            }
        }
    }
};

QTEST_MAIN(TestIcons)
#include "tst_icons.moc"
