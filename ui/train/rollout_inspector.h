// The Train page's rollout inspector for PPO and GRPO runs: the responses a step sampled (as its
// `rollouts` event recorded them), one table row each with its reward, the reward's parts and
// weights, GRPO's advantage and the response's summed KL to the reference; the selected
// response's prompt (as the chat template rendered it) and reference above its tokens, each
// shaded by its KL on a scale shared by the step's responses. A slider picks the step; it follows
// the newest one until moved back. A history that cannot be read is said in the step line.
#pragma once

#include "core/store/run_catalog.h"
#include "ui/common/error_reporter.h"
#include "ui/train/rollout_record.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;
class QSlider;
class QTableWidget;

namespace strata::widgets {
class TokenView;
}

namespace strata::ui {

class RolloutInspector : public QWidget {
    Q_OBJECT

public:
    explicit RolloutInspector(store::RunCatalog& runs, QWidget* parent = nullptr);

    // Empties the inspector and shows `runId`'s rollouts from now on.
    void showRun(int64_t runId);
    // Reads the steps recorded since the last call; shows the newest when following.
    void refresh();
    // Shows one recorded step (stops following unless it is the newest).
    void showStep(int64_t step);

    const std::vector<int64_t>& steps() const { return m_steps; }
    const RolloutRecord& record() const { return m_record; }
    void selectResponse(int row);
    const widgets::TokenView* tokenView() const { return m_tokens; }

private:
    void showIndex(int index);
    void fillTable();
    void showResponse(int row);

    store::RunCatalog& m_catalog;
    int64_t m_runId = 0;
    std::vector<int64_t> m_steps;
    RolloutRecord m_record;
    QSlider* m_slider;
    QLabel* m_stepLabel;
    QCheckBox* m_follow;
    QTableWidget* m_table;
    QLabel* m_prompt;
    widgets::TokenView* m_tokens;
    QLabel* m_scale;
    ErrorReporter m_errors;  // into the step line
};

}  // namespace strata::ui
