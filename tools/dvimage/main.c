// SPDX-License-Identifier: BSD-2-Clause
/* dvimage: builds, inspects, checks and edits DuVisor-C firmware images (docs/appliance.md). */
#include <stdio.h>
#include <string.h>

#include "dvimage.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "create", cmd_create },   { "info", cmd_info },       { "verify", cmd_verify },
	{ "replace", cmd_replace }, { "extract", cmd_extract },
};

int main(int argc, char **argv)
{
	for (unsigned i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "usage: dvimage create -o OUT -f FIRMWARE -k MINIKERNEL.elf [-b NAME=FILE]...\n"
		"       dvimage info IMAGE\n"
		"       dvimage verify IMAGE\n"
		"       dvimage replace IMAGE NAME=FILE... [-o OUT]\n"
		"       dvimage extract IMAGE NAME [-o FILE]\n");
	return 2;
}
