package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
)

type keyView struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	PubKey  string `json:"pub_key"`
}

func viewOf(r keyring.Record) keyView {
	return keyView{Name: r.Name, Address: r.Address, PubKey: fmt.Sprintf("%X", r.PubKey)}
}

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the ed25519 keys in the local keyring"}
	add := &cobra.Command{
		Use: "add NAME", Short: "Create a new key", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			r, err := kr.Add(args[0])
			if err != nil {
				return err
			}
			return printOut(cmd, viewOf(r), func(w io.Writer) {
				fmt.Fprintf(w, "created key %q\naddress: %s\nstored in %s — back this directory up; it is the only copy.\n", r.Name, r.Address, kr.Dir())
			})
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "List keys", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			recs, err := kr.List()
			if err != nil {
				return err
			}
			views := make([]keyView, 0, len(recs))
			for _, r := range recs {
				views = append(views, viewOf(r))
			}
			return printOut(cmd, views, func(w io.Writer) {
				if len(views) == 0 {
					fmt.Fprintf(w, "no keys in %s; create one with `commonsd keys add NAME`\n", kr.Dir())
				}
				for _, v := range views {
					fmt.Fprintf(w, "%-16s %s\n", v.Name, v.Address)
				}
			})
		},
	}
	show := &cobra.Command{
		Use: "show NAME", Short: "Show a key (-a prints only its address)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			r, err := kr.Show(args[0])
			if err != nil {
				return err
			}
			if onlyAddr, _ := cmd.Flags().GetBool("address"); onlyAddr {
				fmt.Fprintln(cmd.OutOrStdout(), r.Address)
				return nil
			}
			v := viewOf(r)
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "name:    %s\naddress: %s\npub_key: %s\n", v.Name, v.Address, v.PubKey)
			})
		},
	}
	show.Flags().BoolP("address", "a", false, "print only the address")
	del := &cobra.Command{
		Use: "delete NAME", Short: "Delete a key (irreversible)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			if err := kr.Delete(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted key %q\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, list, show, del)
	return cmd
}
