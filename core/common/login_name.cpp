#include "core/common/login_name.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace strata::common {

std::string loginName() {
    if (const passwd* account = getpwuid(geteuid()); account && account->pw_name)
        return account->pw_name;
    const char* user = std::getenv("USER");
    return user ? user : "";
}

}  // namespace strata::common
