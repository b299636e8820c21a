// Who is at the keyboard: the login name of this process's user. Labels, comments and runs
// record it as their author; on a remote workspace the host's login is the SSH user's.
#pragma once

#include <string>

namespace strata::common {

// The account's name (getpwuid), else $USER; empty when neither is known.
std::string loginName();

}  // namespace strata::common
