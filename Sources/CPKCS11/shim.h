// The standard PKCS#11 (Cryptoki 2.40) interface as p11-kit ships it (Debian: libp11-kit-dev),
// in its compatibility names (CK_FUNCTION_LIST, CKR_PIN_INCORRECT …). A token's vendor module
// is loaded at run time with dlopen and C_GetFunctionList; nothing here links to one.
#include <p11-kit-1/p11-kit/pkcs11.h>
#include <dlfcn.h>
