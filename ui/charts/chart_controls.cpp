#include "ui/charts/chart_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSlider>

namespace strata::ui {

ChartControls::ChartControls(const QString& settingsGroup, QWidget* parent)
    : QWidget(parent),
      m_group("charts/" + settingsGroup),
      m_xAxis(new QComboBox),
      m_smoothing(new QSlider(Qt::Horizontal)),
      m_logScale(new QCheckBox(tr("Log scale"))) {
    m_xAxis->setObjectName("xAxis");
    for (XAxis axis : {XAxis::Step, XAxis::Tokens, XAxis::WallTime})
        m_xAxis->addItem(xAxisTitle(axis), int(axis));
    m_smoothing->setObjectName("smoothing");
    m_smoothing->setRange(0, 99);
    m_smoothing->setMaximumWidth(160);
    m_smoothing->setToolTip(tr("Smoothing (exponential moving average)"));
    m_logScale->setObjectName("logScale");

    QSettings settings;
    settings.beginGroup(m_group);
    m_xAxis->setCurrentIndex(m_xAxis->findData(settings.value("x_axis", 0).toInt()));
    m_smoothing->setValue(settings.value("smoothing", 0).toInt());
    m_logScale->setChecked(settings.value("log_scale", false).toBool());

    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this] {
        save();
        emit xAxisChanged();
    });
    connect(m_smoothing, &QSlider::valueChanged, this, [this] {
        save();
        emit lookChanged();
    });
    connect(m_logScale, &QCheckBox::toggled, this, [this] {
        save();
        emit lookChanged();
    });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("X axis")));
    layout->addWidget(m_xAxis);
    layout->addWidget(new QLabel(tr("Smoothing")));
    layout->addWidget(m_smoothing);
    layout->addWidget(m_logScale);
}

XAxis ChartControls::xAxis() const {
    return XAxis(m_xAxis->currentData().toInt());
}

void ChartControls::setXAxis(XAxis axis) {
    m_xAxis->setCurrentIndex(m_xAxis->findData(int(axis)));
}

double ChartControls::smoothing() const {
    return m_smoothing->value() / 100.0;
}

bool ChartControls::logScale() const {
    return m_logScale->isChecked();
}

void ChartControls::save() const {
    QSettings settings;
    settings.beginGroup(m_group);
    settings.setValue("x_axis", m_xAxis->currentData().toInt());
    settings.setValue("smoothing", m_smoothing->value());
    settings.setValue("log_scale", m_logScale->isChecked());
}

}  // namespace strata::ui
