// SPDX-License-Identifier: BSD-2-Clause
/* Host tests of the empty virtio-mmio slot. */
#include "unit.h"
#include "virtio_slot.h"

static struct virtio_slot slot;

static uint64_t rd(uint64_t off, unsigned width, int *ret)
{
	uint64_t v = 0xdead;

	*ret = slot.dev.read(slot.dev.opaque, off, width, &v);
	return v;
}

static void test_identity(void)
{
	int ret;

	virtio_slot_init(&slot, 0x10001000);
	CHECK_EQ(slot.dev.base, 0x10001000);
	CHECK_EQ(slot.dev.size, 0x1000);
	CHECK_EQ(rd(0x000, 4, &ret), 0x74726976);
	CHECK_EQ(ret, 0);
	CHECK_EQ(rd(0x004, 4, &ret), 2);
	CHECK_EQ(rd(0x008, 4, &ret), 0);
	CHECK_EQ(rd(0x070, 4, &ret), 0);
	CHECK_EQ(ret, 0);
}

static void test_writes_ignored(void)
{
	int ret;

	virtio_slot_init(&slot, 0x10001000);
	CHECK_EQ(slot.dev.write(slot.dev.opaque, 0x070, 4, 0xf), 0);
	CHECK_EQ(rd(0x070, 4, &ret), 0);
	CHECK_EQ(slot.dev.write(slot.dev.opaque, 0x000, 4, 0), 0);
	CHECK_EQ(rd(0x000, 4, &ret), 0x74726976);
}

static void test_bad_accesses(void)
{
	int ret;

	virtio_slot_init(&slot, 0x10001000);
	rd(0x000, 1, &ret);
	CHECK_EQ(ret, -1);
	rd(0x000, 8, &ret);
	CHECK_EQ(ret, -1);
	rd(0x002, 4, &ret);
	CHECK_EQ(ret, -1);
	CHECK_EQ(slot.dev.write(slot.dev.opaque, 0x001, 4, 0), -1);
	CHECK_EQ(slot.dev.write(slot.dev.opaque, 0x000, 2, 0), -1);
}

int main(void)
{
	RUN(test_identity);
	RUN(test_writes_ignored);
	RUN(test_bad_accesses);
	UNIT_EXIT();
}
