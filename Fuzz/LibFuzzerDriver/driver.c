// The declaration in include/LibFuzzerDriver.h is the whole module: libFuzzer implements it.
