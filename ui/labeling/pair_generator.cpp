#include "ui/labeling/pair_generator.h"

#include "ui/playground/generation_session.h"
#include "ui/targets/saved_targets.h"

namespace strata::ui {

std::vector<store::PreferencePair> pairAnswers(const std::vector<std::string>& prompts,
                                               const std::vector<std::string>& answersA,
                                               const std::vector<std::string>& answersB,
                                               const std::string& sourceA,
                                               const std::string& sourceB, int& leftOut) {
    std::vector<store::PreferencePair> pairs;
    leftOut = 0;
    for (size_t i = 0; i < prompts.size(); ++i) {
        const std::string& a = answersA[i];
        const std::string& b = answersB[i];
        bool blank = a.find_first_not_of(" \t\r\n") == std::string::npos ||
                     b.find_first_not_of(" \t\r\n") == std::string::npos;
        if (blank || a == b) {
            ++leftOut;
            continue;
        }
        pairs.push_back({0, prompts[i], a, b, sourceA, sourceB});
    }
    return pairs;
}

PairGenerator::PairGenerator(std::filesystem::path localCli, std::filesystem::path workspace,
                             QObject* parent)
    : QObject(parent), m_localCli(std::move(localCli)), m_workspace(std::move(workspace)) {}

PairGenerator::~PairGenerator() = default;

void PairGenerator::setRemoteWorkspace(proto::WorkerTarget workspace) {
    m_remoteWorkspace = std::move(workspace);
}

bool PairGenerator::start(const CheckpointChoice& a, const CheckpointChoice& b,
                          const std::vector<std::string>& prompts,
                          const model_spec::SamplingOptions& sampling, bool chat) {
    m_prompts = prompts;
    m_answersA.assign(prompts.size(), {});
    m_answersB.assign(prompts.size(), {});
    m_sourceA = a.source.toStdString();
    m_sourceB = b.source.toStdString();
    m_pairs.clear();
    m_done = 0;
    m_failed = false;
    m_cancelled = false;
    model_spec::SamplingOptions samplingB = sampling;
    if (a.path == b.path && a.host == b.host) ++samplingB.seed;
    try {
        m_sideA = startSide(a, sampling, chat, m_answersA);
        m_sideB = startSide(b, samplingB, chat, m_answersB);
    } catch (const std::exception& error) {
        m_sideA.reset();
        emit failed(QString::fromUtf8(error.what()));
        return false;
    }
    m_sidesLeft = 2;
    m_sideA->start();
    m_sideB->start();
    emit progress(0, int(2 * prompts.size()));
    return true;
}

SessionPtr<GenerationSession> PairGenerator::startSide(const CheckpointChoice& choice,
                                                       const model_spec::SamplingOptions& sampling,
                                                       bool chat,
                                                       std::vector<std::string>& answers) {
    proto::WorkerTarget target = m_remoteWorkspace
                                     ? *m_remoteWorkspace
                                     : resolveTarget(choice.host, m_localCli, m_workspace);
    proto::GenerateSpec spec;
    spec.checkpoint = choice.path.toStdString();
    spec.prompts = m_prompts;
    spec.sampling = sampling;
    spec.chat = chat;
    SessionPtr<GenerationSession> side(new GenerationSession(target, spec));
    connect(side.get(), &GenerationSession::piece, this,
            [&answers](int prompt, const QString& text) {
                answers[size_t(prompt)] += text.toStdString();
            });
    connect(side.get(), &GenerationSession::promptDone, this,
            [this] { emit progress(++m_done, int(2 * m_prompts.size())); });
    connect(side.get(), &GenerationSession::finished, this, &PairGenerator::sideEnded);
    connect(side.get(), &GenerationSession::failed, this, [this](const QString& message) {
        // One side failing ends both: half a set of pairs is no set.
        if (!m_failed) {
            m_failed = true;
            cancel();
            emit failed(message);
        }
        sideEnded();
    });
    return side;
}

void PairGenerator::cancel() {
    m_cancelled = true;
    for (GenerationSession* side : {m_sideA.get(), m_sideB.get()})
        if (side) side->cancel();
}

void PairGenerator::sideEnded() {
    if (--m_sidesLeft > 0 || m_failed) return;
    if (m_cancelled) {
        emit finished(0);
        return;
    }
    int leftOut = 0;
    m_pairs = pairAnswers(m_prompts, m_answersA, m_answersB, m_sourceA, m_sourceB, leftOut);
    emit finished(leftOut);
}

}  // namespace strata::ui
