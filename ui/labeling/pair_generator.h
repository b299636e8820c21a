// Preference pairs generated in the studio: every prompt of a prompt set answered by two
// checkpoints, as two generations side by side (each on its checkpoint's host). The same
// checkpoint may answer both sides: side B then samples with the next seed, so the two answers
// differ by chance alone. The pairs then join the labeling queue.
#pragma once

#include "core/model_spec/sampling_options.h"
#include "core/proto/worker_target.h"
#include "core/store/label_store.h"
#include "ui/common/background_threads.h"
#include "ui/common/checkpoint_choices.h"

#include <QObject>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::ui {

class GenerationSession;

// The pairs two sides' answers make, prompt by prompt. A pair with an empty answer, or the same
// answer on both sides, is left out (there is nothing to prefer) and counted in `leftOut`.
std::vector<store::PreferencePair> pairAnswers(const std::vector<std::string>& prompts,
                                               const std::vector<std::string>& answersA,
                                               const std::vector<std::string>& answersB,
                                               const std::string& sourceA,
                                               const std::string& sourceB, int& leftOut);

class PairGenerator : public QObject {
    Q_OBJECT

public:
    // `localCli` and `workspace`: how a worker on this machine is started.
    PairGenerator(std::filesystem::path localCli, std::filesystem::path workspace,
                  QObject* parent = nullptr);
    ~PairGenerator() override;
    // Generates through this workspace's worker on its host, whose checkpoints the sides are.
    void setRemoteWorkspace(proto::WorkerTarget workspace);

    // Starts both sides; false (with failed() emitted) when a checkpoint's host is unknown.
    bool start(const CheckpointChoice& a, const CheckpointChoice& b,
               const std::vector<std::string>& prompts, const model_spec::SamplingOptions& sampling,
               bool chat);
    void cancel();
    bool running() const { return m_sidesLeft > 0; }
    // After finished(): the pairs, in prompt order.
    const std::vector<store::PreferencePair>& pairs() const { return m_pairs; }

signals:
    // Answers complete so far, out of two per prompt.
    void progress(int done, int total);
    void finished(int leftOut);
    void failed(const QString& message);

private:
    SessionPtr<GenerationSession> startSide(const CheckpointChoice& choice,
                                            const model_spec::SamplingOptions& sampling, bool chat,
                                            std::vector<std::string>& answers);
    void sideEnded();

    std::filesystem::path m_localCli;
    std::filesystem::path m_workspace;
    std::optional<proto::WorkerTarget> m_remoteWorkspace;
    std::vector<std::string> m_prompts;
    std::vector<std::string> m_answersA;
    std::vector<std::string> m_answersB;
    std::string m_sourceA;
    std::string m_sourceB;
    SessionPtr<GenerationSession> m_sideA;
    SessionPtr<GenerationSession> m_sideB;
    std::vector<store::PreferencePair> m_pairs;
    int m_sidesLeft = 0;
    int m_done = 0;
    bool m_failed = false;
    bool m_cancelled = false;
};

}  // namespace strata::ui
