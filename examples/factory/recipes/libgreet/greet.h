#ifndef GREET_H
#define GREET_H
/* Writes the greeting for `who` to standard output. */
void greet(const char *who);
#endif
