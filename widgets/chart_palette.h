// Qt Charts paint with their own theme colours, not the widget palette; this carries the palette
// (light or dark) over to a chart's background, title, legend and axes, so charts follow the
// studio's appearance. Call it after axes are added and on QEvent::PaletteChange.
#pragma once

class QChart;
class QPalette;

namespace strata::widgets {

void applyChartPalette(QChart* chart, const QPalette& palette);

}  // namespace strata::widgets
