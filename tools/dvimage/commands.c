// SPDX-License-Identifier: BSD-2-Clause
/* The tool's commands. */
#include <stdio.h>
#include <string.h>

#include "dv_digest.h"
#include "dvimage.h"

/* Splits NAME=FILE into a part named NAME holding FILE's bytes. */
static void part_from_arg(struct part *p, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq)
		die("\"%s\": expected NAME=FILE", arg);
	set_name(p, arg, (uint64_t)(eq - arg));
	p->data = read_file(eq + 1, &p->size);
	if (!strcmp(p->name, "minikernel") && p->size >= 4 && !memcmp(p->data, "\177ELF", 4))
		p->data = minikernel_flat(eq + 1, p->data, p->size, &p->size);
}

static bool part_ok(const struct part *p)
{
	return dv_digest(p->data, p->size) == p->digest;
}

static void write_image(const char *out, struct part *parts, unsigned n)
{
	uint64_t size;
	uint8_t *img;

	if (vmconfig_check(parts, n))
		die("%s not written", out);
	img = layout(parts, n, &size);
	write_file(out, img, size);
}

/* create -o OUT -f FIRMWARE -k MINIKERNEL.elf [-b NAME=FILE]... */
int cmd_create(int argc, char **argv)
{
	struct part parts[DV_IMAGE_MAX];
	const char *out = NULL;
	unsigned n = 2;

	memset(parts, 0, sizeof(parts));
	for (int i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-o")) {
			out = argv[i + 1];
		} else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "-k")) {
			char arg[DV_IMAGE_NAME + 4096];

			snprintf(arg, sizeof(arg), "%s=%s", argv[i][1] == 'f' ? "firmware" : "minikernel",
				 argv[i + 1]);
			part_from_arg(&parts[argv[i][1] == 'k'], arg);
		} else if (!strcmp(argv[i], "-b") && n < DV_IMAGE_MAX) {
			part_from_arg(&parts[n++], argv[i + 1]);
		} else {
			die("create: %s: unknown option, or more than %d blobs", argv[i], DV_IMAGE_MAX - 2);
		}
	}
	if (!out || !parts[0].data || !parts[1].data || argc % 2)
		die("usage: dvimage create -o OUT -f FIRMWARE -k MINIKERNEL.elf [-b NAME=FILE]...");
	write_image(out, parts, n);
	return 0;
}

int cmd_info(int argc, char **argv)
{
	struct image im;
	bool all_ok = true;

	if (argc != 1)
		die("usage: dvimage info IMAGE");
	image_read(&im, argv[0]);
	printf("%s: DuVisor-C image, %llu bytes, %u parts, part table at 0x%llx\n", im.path,
	       (unsigned long long)im.size, im.nr_parts, (unsigned long long)im.table->table_offset);
	printf("  %-15s %-10s %10s  %s\n", "part", "offset", "size", "digest");
	for (unsigned i = 0; i < im.nr_parts; i++) {
		const struct part *p = &im.part[i];
		bool ok = part_ok(p);

		all_ok &= ok;
		printf("  %-15s 0x%08llx %10llu  %016llx%s\n", p->name, (unsigned long long)p->offset,
		       (unsigned long long)p->size, (unsigned long long)p->digest,
		       ok ? "" : "  DAMAGED: its bytes do not match");
	}
	for (unsigned i = 0; i < im.nr_parts; i++)
		vmconfig_describe(&im.part[i]);
	for (unsigned i = 0; i < im.nr_parts; i++)
		if (!strncmp(im.part[i].name, "cmdline", 7))
			printf("part \"%s\" (added to the guest's bootargs): \"%.*s\"\n", im.part[i].name,
			       (int)im.part[i].size, (const char *)im.part[i].data);
	return all_ok ? 0 : 1;
}

int cmd_verify(int argc, char **argv)
{
	struct image im;
	unsigned bad = 0;

	if (argc != 1)
		die("usage: dvimage verify IMAGE");
	image_read(&im, argv[0]);
	for (unsigned i = 0; i < im.nr_parts; i++) {
		if (part_ok(&im.part[i]))
			continue;
		fprintf(stderr, "dvimage: %s: part \"%s\" is damaged: its bytes do not match its "
			"digest\n", im.path, im.part[i].name);
		bad++;
	}
	if (vmconfig_check(im.part, im.nr_parts))
		bad++;
	if (bad)
		return 1;
	printf("%s: %u parts, every digest matches\n", im.path, im.nr_parts);
	return 0;
}

/* replace IMAGE NAME=FILE... [-o OUT]: the image rewritten with those parts swapped. */
int cmd_replace(int argc, char **argv)
{
	const char *out = argc ? argv[0] : NULL;
	struct image im;

	if (argc < 2)
		die("usage: dvimage replace IMAGE NAME=FILE... [-o OUT]");
	image_read(&im, argv[0]);
	for (int i = 1; i < argc; i++) {
		struct part p, *old;

		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
			continue;
		}
		part_from_arg(&p, argv[i]);
		old = image_part(&im, p.name);
		if (!old)
			die("%s has no part \"%s\" (dvimage info lists them)", im.path, p.name);
		*old = p;
		old->digest = dv_digest(p.data, p.size);
	}
	/* Digests of kept parts are never recomputed: damage must not be made to look valid. */
	for (unsigned i = 0; i < im.nr_parts; i++)
		if (!part_ok(&im.part[i]))
			die("%s: part \"%s\" is damaged; replace it or rebuild the image", im.path,
			    im.part[i].name);
	write_image(out, im.part, im.nr_parts);
	return 0;
}

/* extract IMAGE NAME [-o FILE]: the part's bytes, on stdout by default. */
int cmd_extract(int argc, char **argv)
{
	const struct part *p;
	struct image im;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "-o")))
		die("usage: dvimage extract IMAGE NAME [-o FILE]");
	image_read(&im, argv[0]);
	p = image_part(&im, argv[1]);
	if (!p)
		die("%s has no part \"%s\" (dvimage info lists them)", im.path, argv[1]);
	if (!part_ok(p))
		die("%s: part \"%s\" is damaged: its bytes do not match its digest", im.path, p->name);
	if (argc == 4)
		write_file(argv[3], p->data, p->size);
	else if (fwrite(p->data, 1, p->size, stdout) != p->size || fflush(stdout))
		die("cannot write the part to stdout");
	return 0;
}
