// The settings every metric chart of a page follows, in one row: the x axis (step, tokens, wall
// time), smoothing (EMA weight) and a log-scale y axis. They persist per page (QSettings group
// "charts/<page>"), so a reviewer's choices are there the next time.
#pragma once

#include "ui/charts/step_axis.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QSlider;

namespace strata::ui {

class ChartControls : public QWidget {
    Q_OBJECT

public:
    explicit ChartControls(const QString& settingsGroup, QWidget* parent = nullptr);

    XAxis xAxis() const;
    void setXAxis(XAxis axis);
    double smoothing() const;  // [0, 0.99]
    bool logScale() const;

signals:
    // The x axis changed: the series must be read again.
    void xAxisChanged();
    // Smoothing or the log scale changed: the charts redraw what they hold.
    void lookChanged();

private:
    void save() const;

    QString m_group;
    QComboBox* m_xAxis;
    QSlider* m_smoothing;
    QCheckBox* m_logScale;
};

}  // namespace strata::ui
