//go:build ignore

// Writes test/fixtures/go-sort/vectors.json: inputs and the order Go's unstable sort leaves
// them in (sort.Slice; slices.SortFunc is the same pdqsort), ties included. The test of
// src/image/assemble/ldso-cache/go-sort.ts replays them.
//
//	go run scripts/go-sort-vectors.go > test/fixtures/go-sort/vectors.json
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"sort"
)

type vector struct {
	Name  string `json:"name"`
	Keys  []int  `json:"keys"`
	Order []int  `json:"order"`
}

func sorted(name string, keys []int) vector {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	return vector{Name: name, Keys: keys, Order: idx}
}

// antiqsort is a variant of McIlroy's adversary: it fixes the keys lazily, as the sort compares
// them, so that pivots are bad; sorting the resulting keys takes the same path, down to
// pdqsort's heapsort fallback.
func antiqsort(n int) []int {
	gas := n
	val := make([]int, n)
	ptr := make([]int, n)
	for i := range val {
		val[i], ptr[i] = gas, i
	}
	solid, candidate := 0, 0
	sort.Slice(ptr, func(a, b int) bool {
		x, y := ptr[a], ptr[b]
		if val[x] == gas && val[y] == gas {
			// McIlroy freezes the candidate's partner; freezing the candidate itself is what
			// defeats pdqsort's sortedness check and reaches its heapsort fallback.
			if x == candidate {
				val[y] = solid
			} else {
				val[x] = solid
			}
			solid++
		}
		if val[x] == gas {
			candidate = x
		} else if val[y] == gas {
			candidate = y
		}
		return val[x] < val[y]
	})
	return val
}

func main() {
	r := rand.New(rand.NewSource(1))
	var out []vector
	random := func(n, max int) []int {
		k := make([]int, n)
		for i := range k {
			k[i] = r.Intn(max)
		}
		return k
	}
	for n := 0; n <= 64; n++ {
		out = append(out, sorted(fmt.Sprintf("random-%d", n), random(n, 1+n/4)))
	}
	for _, n := range []int{100, 257, 600} {
		strict := make([]int, n)
		for i := range strict {
			strict[i] = n - i
		}
		asc, desc, equal, saw, organ := make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
		for i := 0; i < n; i++ {
			asc[i], desc[i], saw[i] = i/3, (n-i)/3, i%7
			organ[i] = i
			if i > n/2 {
				organ[i] = n - i
			}
		}
		nearly := append([]int(nil), asc...)
		nearly[n/3], nearly[2*n/3] = nearly[2*n/3], nearly[n/3]
		out = append(out,
			sorted(fmt.Sprintf("ascending-%d", n), asc),
			sorted(fmt.Sprintf("descending-%d", n), desc),
			sorted(fmt.Sprintf("equal-%d", n), equal),
			sorted(fmt.Sprintf("sawtooth-%d", n), saw),
			sorted(fmt.Sprintf("organ-%d", n), organ),
			sorted(fmt.Sprintf("nearly-%d", n), nearly),
			sorted(fmt.Sprintf("few-%d", n), random(n, 3)),
			sorted(fmt.Sprintf("many-%d", n), random(n, n)),
			sorted(fmt.Sprintf("strictly-descending-%d", n), strict),
			sorted(fmt.Sprintf("antiqsort-%d", n), antiqsort(n)),
		)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
