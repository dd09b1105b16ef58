#ifndef BOARDPACK_CLIBXML2_SHIM_H
#define BOARDPACK_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its ICU headers clash with the ICU that
   Foundation bundles. BoardPack never needs libxml2's ICU encodings. */
#undef LIBXML_ICU_ENABLED

#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/parser.h>

#endif
